export function StatCard({
  label,
  value,
  detail,
  testId,
}: {
  label: string;
  value: string;
  detail: string;
  testId?: string;
}) {
  return (
    <div className="stat-card" data-testid={testId}>
      <p className="stat-label">{label}</p>
      <p className="stat-value">{value}</p>
      <p className="stat-detail">{detail || '\u00a0'}</p>
    </div>
  );
}
