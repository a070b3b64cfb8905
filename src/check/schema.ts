/** The validated shape of a check request, shared by the API and the CLI. */
import { z } from 'zod';

/** Longer inputs are refused (HTTP 413): a pasted chat is far shorter, and the limit bounds the work. */
export const MAX_TEXT_LENGTH = 20_000;

const turn = z.object({
  speaker: z.string().max(40).describe('who spoke: "客服", "我", "caller", "me"...'),
  text: z.string().max(MAX_TEXT_LENGTH),
});

/** A check request: text or turns (exactly one), optional caller number and channel. */
export const checkInputSchema = z
  .strictObject({
    text: z.string().max(MAX_TEXT_LENGTH).optional().describe('SMS, chat or call transcript, number or link'),
    turns: z.array(turn).max(500).optional().describe('a conversation as turns, instead of text'),
    caller: z.string().max(40).optional().describe('the number that called or sent the message'),
    channel: z.enum(['call', 'sms', 'chat']).optional(),
  })
  .refine((v) => (v.text !== undefined) !== (v.turns !== undefined), {
    error: 'give exactly one of text or turns',
    path: ['text'],
  })
  .refine((v) => (v.text ?? '').trim().length > 0 || (v.turns ?? []).length > 0, {
    error: 'text must not be empty',
    path: ['text'],
  });
