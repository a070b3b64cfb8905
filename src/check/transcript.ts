/**
 * Transcripts: "客服：…" / "我：…" lines or JSON turns. The consumer's own lines are marked so that what
 * the consumer said (a complaint about quality, a question about a refund) is not held against the caller.
 */

/** One turn of a conversation. */
export interface Turn {
  speaker: string;
  text: string;
}

/** The text to analyse and the [start, end) ranges spoken by the consumer. */
export interface Transcript {
  text: string;
  selfRanges: Array<[number, number]>;
}

const SELF = /^(?:我|我方|本人|用户|顾客|买家|客户|受害人|受害者|消费者|me|i|user|customer|victim|callee|right)$/i;
const LINE = /^[ \t]*([\p{L}\p{N}_ ]{1,12}?)[ \t]*[:：][ \t]*(.*)$/u;

/** True when a speaker label names the consumer rather than the other side. */
export function isSelf(speaker: string): boolean {
  return SELF.test(speaker.trim());
}

/** Renders JSON turns as labelled lines, remembering which ranges are the consumer's. */
export function fromTurns(turns: readonly Turn[]): Transcript {
  let text = '';
  const selfRanges: Array<[number, number]> = [];
  for (const t of turns) {
    const line = `${t.speaker}：${t.text}`;
    if (isSelf(t.speaker)) selfRanges.push([text.length, text.length + line.length]);
    text += line + '\n';
  }
  return { text: text.replace(/\n$/, ''), selfRanges };
}

/** Finds the consumer's lines in a plain text transcript ("我：…"); plain text has none. */
export function fromText(text: string): Transcript {
  const selfRanges: Array<[number, number]> = [];
  if (!text.includes('\n') || !/[:：]/.test(text)) return { text, selfRanges };
  let pos = 0;
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m && isSelf(m[1] as string)) selfRanges.push([pos, pos + line.length]);
    pos += line.length + 1;
  }
  return { text, selfRanges };
}
