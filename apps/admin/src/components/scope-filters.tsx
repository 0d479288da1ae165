/**
 * The store and till pickers every filter form of the dashboard shares (receipts, DLQ, breakers,
 * cash). Plain `<select name=…>` inside the page's own `<form>`: the form reads them by name and
 * puts them in the URL. Labels come from the page's own messages.
 */

interface StoreOption {
  organizationId: string;
  id: string;
  name: string;
}

interface TerminalOption {
  id: string;
  name: string;
  store: { name: string };
}

interface FilterProps {
  /** The field's label. */
  label: string;
  /** The first option, meaning "no filter" (all stores, any till…). */
  allLabel: string;
  /** The current value from the URL. */
  value: string | null | undefined;
}

export function StoreFilter({
  label,
  allLabel,
  value,
  stores,
}: FilterProps & { stores: readonly StoreOption[] }) {
  return (
    <label>
      {label}
      <select name="storeId" defaultValue={value ?? ""}>
        <option value="">{allLabel}</option>
        {stores.map((s) => (
          <option key={`${s.organizationId}/${s.id}`} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function TerminalFilter({
  label,
  allLabel,
  value,
  terminals,
}: FilterProps & { terminals: readonly TerminalOption[] }) {
  return (
    <label>
      {label}
      <select name="terminalId" defaultValue={value ?? ""}>
        <option value="">{allLabel}</option>
        {terminals.map((terminal) => (
          <option key={terminal.id} value={terminal.id}>
            {terminal.name} · {terminal.store.name}
          </option>
        ))}
      </select>
    </label>
  );
}
