/** A row's "when" field: a local date and time. */
export function WhenField({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <label>
      {label}
      <input
        type="datetime-local"
        value={value}
        onInput={(e) => {
          onChange(e.currentTarget.value);
        }}
      />
    </label>
  );
}
