import { FleetTable } from "./fleet-table.tsx";

export const metadata = { title: "Fleet · Kassa" };

export default function FleetPage() {
  return (
    <>
      <header className="page-header">
        <h1>Fleet</h1>
        <p className="muted">
          Every till of your organization, its last sync and the receipts it has delivered.
        </p>
      </header>
      <FleetTable />
    </>
  );
}
