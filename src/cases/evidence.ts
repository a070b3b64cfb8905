/**
 * Evidence files: images, audio and PDF only, checked by their bytes (not their name or declared type), of
 * bounded size, hashed. A file whose name or declared type says one thing and whose bytes say another is
 * refused as disguised.
 */
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { InputError } from '../custody/index.ts';

/** Largest evidence file. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
/** Most files one request may carry. */
export const MAX_EVIDENCE_FILES = 5;
/** Most files a case may hold, and their total size: anyone with a case token can add files, so both are bounded. */
export const MAX_CASE_FILES = 20;
export const MAX_CASE_BYTES = 100 * 1024 * 1024;

/** Accepted types, by the MIME type file-type reports, with the extensions a file of that type may carry. */
const ACCEPTED: Record<string, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'image/heic': ['heic', 'heif'],
  'audio/mpeg': ['mp3'],
  'audio/x-m4a': ['m4a', 'mp4', 'aac'],
  'audio/mp4': ['m4a', 'mp4', 'aac'],
  'audio/aac': ['aac'],
  'audio/amr': ['amr'],
  'audio/wav': ['wav'],
  'audio/ogg': ['ogg', 'oga', 'opus'],
  'audio/opus': ['ogg', 'opus'],
  'application/pdf': ['pdf'],
};

/** What the sniffer may call a type the browser declares otherwise (e.g. x-wav for wav). */
const ALIASES: Record<string, string> = {
  'audio/x-wav': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/mp3': 'audio/mpeg',
  'image/jpg': 'image/jpeg',
};

/** An uploaded file before checking. */
export interface Upload {
  name: string;
  type: string;
  bytes: Buffer;
}

/** A file that passed: its sniffed type, size and SHA-256. */
export interface CheckedFile extends Upload {
  mime: string;
  sha256: string;
}

const family = (mime: string): string => mime.split('/')[0] ?? '';

/** Checks each file, naming the field (`evidence.N`) of the first that fails; never echoes a file name. */
export async function checkEvidence(files: readonly Upload[]): Promise<CheckedFile[]> {
  if (files.length > MAX_EVIDENCE_FILES)
    throw new InputError([{ field: 'evidence', message: `at most ${MAX_EVIDENCE_FILES} files per request` }]);
  const out: CheckedFile[] = [];
  for (const [i, f] of files.entries()) {
    const field = `evidence.${i}`;
    if (f.bytes.length === 0) throw new InputError([{ field, message: 'the file is empty' }]);
    if (f.bytes.length > MAX_EVIDENCE_BYTES) throw new InputError([{ field, message: `larger than ${MAX_EVIDENCE_BYTES / 1048576} MB` }]);
    const sniffed = await fileTypeFromBuffer(f.bytes);
    if (!sniffed) throw new InputError([{ field, message: 'not a recognised image, audio or PDF file' }]);
    const mime = ALIASES[sniffed.mime] ?? sniffed.mime;
    const exts = ACCEPTED[mime];
    if (!exts) throw new InputError([{ field, message: `files of type ${mime} are not accepted (images, audio and PDF only)` }]);
    const ext = /\.([a-z0-9]{1,5})$/i.exec(f.name)?.[1]?.toLowerCase();
    const declared = ALIASES[f.type.toLowerCase()] ?? f.type.toLowerCase();
    const declaredWrong =
      declared !== '' && declared !== 'application/octet-stream' && declared !== mime && family(declared) !== family(mime);
    if ((ext !== undefined && !exts.includes(ext)) || declaredWrong)
      throw new InputError([
        { field, message: `the file name or declared type does not match its content (${mime}): refused as disguised` },
      ]);
    out.push({ ...f, mime, sha256: createHash('sha256').update(f.bytes).digest('hex') });
  }
  return out;
}
