/** Section 3: the money sent to the scammer, one row a transfer. */
import { KindSelect } from './kind-select.tsx';
import { emptyTransfer, patchAt, type ReportText, type Transfer, type TransferMethod } from './form-state.ts';
import { WhenField } from './when-field.tsx';

const METHODS: readonly TransferMethod[] = ['bank', 'alipay', 'wechat', 'other'];

/** The victim's transfers: when, how much, how, and to which account. */
export function Transfers({
  t,
  transfers,
  setTransfers,
}: {
  t: ReportText;
  transfers: Transfer[];
  setTransfers: (xs: Transfer[]) => void;
}) {
  const setTransfer = (i: number, patch: Partial<Transfer>): void => {
    setTransfers(patchAt(transfers, i, patch));
  };
  return (
    <fieldset>
      <legend>3. {t.transfers}</legend>
      {transfers.map((x, i) => (
        <div class="row" key={i} role="group" aria-label={`${t.transfer} ${String(i + 1)}`}>
          <WhenField
            label={t.when}
            value={x.at}
            onChange={(v) => {
              setTransfer(i, { at: v });
            }}
          />
          <label>
            {t.amount}
            <input
              type="number"
              min="0.01"
              step="0.01"
              inputMode="decimal"
              value={x.amount}
              onInput={(e) => {
                setTransfer(i, { amount: e.currentTarget.value });
              }}
            />
          </label>
          <label>
            {t.method}
            <select
              value={x.method}
              onChange={(e) => {
                setTransfer(i, { method: e.currentTarget.value as TransferMethod });
              }}
            >
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {t.methods[m]}
                </option>
              ))}
            </select>
          </label>
          <KindSelect
            label={t.toKind}
            names={t.kinds}
            value={x.toKind}
            onChange={(toKind) => {
              setTransfer(i, { toKind });
            }}
          />
          <label>
            {t.toValue}
            <input
              value={x.toValue}
              onInput={(e) => {
                setTransfer(i, { toValue: e.currentTarget.value });
              }}
            />
          </label>
        </div>
      ))}
      <button
        type="button"
        onClick={() => {
          setTransfers([...transfers, emptyTransfer()]);
        }}
      >
        + {t.addTransfer}
      </button>
    </fieldset>
  );
}
