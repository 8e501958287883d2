export const dynamic = 'force-dynamic';

// A server-rendered page of a chosen size (?bytes=N of markup), so that the product's /sidebar can be compared
// with the framework rendering the same amount of HTML and doing nothing else.
export default async function FloorPage({ searchParams }) {
  const { bytes } = await searchParams;
  const asked = Number(bytes ?? 4000);
  const target = Number.isFinite(asked) ? Math.min(Math.max(asked, 0), 1_000_000) : 4000;
  const rows = [];
  let size = 0;
  for (let i = 0; size < target; i++) {
    const text = `第 ${i} 行 · row ${i} lorem ipsum dolor sit amet`;
    rows.push(
      <li key={i} className="row">
        {text}
      </li>,
    );
    size += text.length + 40;
  }
  return (
    <main>
      <h1>floor</h1>
      <ul>{rows}</ul>
    </main>
  );
}
