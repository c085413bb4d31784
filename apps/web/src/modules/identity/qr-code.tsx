import { create } from 'qrcode';
import { useMemo } from 'react';

/** The light margin around the symbol, in modules (ISO/IEC 18004 asks for 4). */
const QUIET_ZONE = 4;

/**
 * A QR code's dark modules as one SVG path (each horizontal run of dark modules a rectangle), drawn
 * with the quiet zone. Generated here, offline (LGWAN: no image service is ever asked), and made of
 * numbers only, so the server-provided text can never become markup.
 */
export function qrCodePath(text: string): { size: number; path: string } {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const runs: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      runs.push(
        `M${String(start + QUIET_ZONE)} ${String(row + QUIET_ZONE)}h${String(col - start)}v1H${String(start + QUIET_ZONE)}z`,
      );
    }
  }
  return { size: modules.size + 2 * QUIET_ZONE, path: runs.join('') };
}

/**
 * Shows `value` as a QR code: an inline SVG built by React from the symbol's modules (no
 * dangerouslySetInnerHTML, no data: URL), labelled for screen readers with `label`.
 */
export function QrCode({
  value,
  label,
  pixels = 200,
  testId,
}: {
  value: string;
  label: string;
  pixels?: number;
  testId?: string;
}) {
  const { size, path } = useMemo(() => qrCodePath(value), [value]);
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${String(size)} ${String(size)}`}
      width={pixels}
      height={pixels}
      shapeRendering="crispEdges"
      data-testid={testId}
    >
      {/* Dark on white whatever the colour scheme: scanners need the contrast. */}
      <rect width={size} height={size} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}
