/** The checked text with the rule spans marked. */
interface Span {
  start: number;
  end: number;
  label: string;
  group: string;
}

/** Renders text with non-overlapping spans wrapped in <mark>; overlapping spans merge into the first. */
export function Highlight({ text, spans }: { text: string; spans: readonly Span[] }) {
  const parts: preact.ComponentChildren[] = [];
  let pos = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (s.start < pos) continue;
    if (s.start > pos) parts.push(text.slice(pos, s.start));
    parts.push(
      <mark class={`g-${s.group}`} title={s.label}>
        {text.slice(s.start, s.end)}
      </mark>,
    );
    pos = s.end;
  }
  parts.push(text.slice(pos));
  return <p class="checked">{parts}</p>;
}
