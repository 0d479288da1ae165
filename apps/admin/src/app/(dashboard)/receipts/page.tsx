import { Suspense } from "react";
import { ReceiptSearch } from "./receipt-search.tsx";

export const metadata = { title: "Receipts · Kassa" };

export default function ReceiptsPage() {
  return (
    <>
      <header className="page-header">
        <h1>Receipts</h1>
        <p className="muted">
          Every receipt your tills have delivered, newest first. Times are in each store's timezone.
        </p>
      </header>
      {/* ReceiptSearch reads the filter from the URL (useSearchParams), which needs a Suspense boundary. */}
      <Suspense>
        <ReceiptSearch />
      </Suspense>
    </>
  );
}
