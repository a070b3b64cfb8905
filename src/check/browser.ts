/** What the pages use of the check: the names of the dangerous asks, in both languages. */
export { ASK_TEXT, type AskId } from './labels.ts';
