import { TriangleAlert } from "lucide-react";

export function LoadingRow({ columns, text = "Loading…" }: { columns: number; text?: string }) {
  return (
    <tr>
      <td colSpan={columns} className="muted center">
        {text}
      </td>
    </tr>
  );
}

export function ErrorNote({ error }: { error: { message: string } }) {
  return (
    <div className="error-note" role="alert">
      <TriangleAlert size={16} aria-hidden /> {error.message}
    </div>
  );
}
