/** The choice of account type, shared by the scammer's accounts and the transfers. */
import type { AccountKind } from './form-state.ts';

const ACCOUNT_KINDS: readonly AccountKind[] = ['bank_card', 'alipay', 'wechat', 'qq'];

/** A labelled choice of account type. */
export function KindSelect(props: {
  label: string;
  names: Record<AccountKind, string>;
  value: AccountKind;
  onChange: (k: AccountKind) => void;
}) {
  return (
    <label>
      {props.label}
      <select
        value={props.value}
        onChange={(e) => {
          props.onChange(e.currentTarget.value as AccountKind);
        }}
      >
        {ACCOUNT_KINDS.map((m) => (
          <option key={m} value={m}>
            {props.names[m]}
          </option>
        ))}
      </select>
    </label>
  );
}
