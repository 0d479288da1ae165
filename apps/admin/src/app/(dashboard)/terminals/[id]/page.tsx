import { TerminalView } from "./terminal-view.tsx";

export const metadata = { title: "Terminal · Kassa" };

export default async function TerminalPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TerminalView terminalId={decodeURIComponent(id)} />;
}
