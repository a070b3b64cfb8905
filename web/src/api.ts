/** Calls to the API: JSON in, JSON out, the status kept so pages can say what went wrong. */

/** A response: ok with data, or the status and the fields the server named. */
export type ApiResult<T> =
  { ok: true; data: T } | { ok: false; status: number; fields: string[]; issues: Array<{ field: string; message: string }> };

/** POSTs JSON (or a FormData) and reads the JSON answer. */
export async function post<T>(path: string, body: unknown, token?: string): Promise<ApiResult<T>> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const init: RequestInit = { method: 'POST', headers };
  if (body instanceof FormData) init.body = body;
  else {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return read<T>(await fetch(path, init));
}

/** GETs JSON with an optional bearer token. */
export async function get<T>(path: string, token?: string): Promise<ApiResult<T>> {
  return read<T>(await fetch(path, token ? { headers: { authorization: `Bearer ${token}` } } : {}));
}

async function read<T>(res: Response): Promise<ApiResult<T>> {
  if (res.status === 204) return { ok: true, data: undefined as T };
  if (res.ok) return { ok: true, data: (await res.json()) as T };
  const body = (await res.json().catch(() => ({}))) as { issues?: Array<{ field: string; message: string }> };
  const issues = body.issues ?? [];
  return { ok: false, status: res.status, fields: issues.map((i) => `${i.field}: ${i.message}`), issues };
}

/** A mainland mobile number in E.164, computed in the browser so it never has to be sent. */
export function ownPhone(raw: string): string | undefined {
  const d = raw.replace(/[\s()-]/g, '').replace(/^(?:\+|00)86/, '');
  return /^1[3-9]\d{9}$/.test(d) ? `+86${d}` : undefined;
}

/** Fetches a file with a bearer token (kept in a header, never in the URL) and saves it under `filename`. */
export async function download(path: string, token: string, filename: string, init: RequestInit = {}): Promise<void> {
  const res = await fetch(path, {
    ...init,
    headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(String(res.status));
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}
