/** A plain SVG bar chart (server-rendered, no client JS), with a text table for screen readers. */
export function BarChart({
  data,
  label,
  format,
}: {
  data: { key: string; label: string; value: number }[];
  label: string;
  format: (value: number) => string;
}) {
  const max = Math.max(1, ...data.map((item) => item.value));
  const width = 720;
  const height = 200;
  const barWidth = width / Math.max(1, data.length);
  return (
    <figure className="mt-4">
      <svg viewBox={`0 0 ${width} ${height + 20}`} className="w-full max-w-3xl" role="img" aria-label={label}>
        {data.map((item, index) => {
          const barHeight = Math.round((item.value / max) * height);
          return (
            <g key={item.key}>
              <rect
                x={index * barWidth + 1}
                y={height - barHeight}
                width={Math.max(1, barWidth - 2)}
                height={barHeight}
                className="fill-roast"
              >
                <title>{`${item.label}: ${format(item.value)}`}</title>
              </rect>
              {index % 7 === 0 ? (
                <text x={index * barWidth} y={height + 15} className="fill-espresso text-[11px]">
                  {item.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="sr-only">
        <table>
          <caption>{label}</caption>
          <tbody>
            {data.map((item) => (
              <tr key={item.key}>
                <th scope="row">{item.label}</th>
                <td>{format(item.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
