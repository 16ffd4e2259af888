/**
 * The progress line over the whole job: inputs done of all, bytes read of their size on disk
 * (a `.gz` counted compressed, as it is read), records, the rate and the time left. Plain
 * text redrawn with `\r` at most five times a second: no dependency does less, and none
 * knows our counts (a bar library would still need all of this).
 */

/** What the line says at one moment; the numbers are the whole job's. */
export interface JobState {
  /** The input being read, as diagnostics name it. */
  readonly file: string;
  /** Inputs finished, and in all. */
  readonly filesDone: number;
  readonly files: number;
  /** Bytes read on disk, and the inputs' size on disk (null when one is stdin). */
  readonly bytes: number;
  readonly total: number | null;
  readonly records: number;
  readonly seconds: number;
  /** `first reading` while --keep complete reads the inputs for their copies. */
  readonly phase: string | null;
}

/** The line, at most `width` columns: the file name gives way first, then the least needed parts. */
export function progressLine(s: JobState, width: number): string {
  const rate = s.seconds > 0.5 ? s.bytes / s.seconds : 0;
  const parts: Array<{ text: string; keep: number }> = [];
  if (s.files > 1) parts.push({ text: `${s.filesDone + 1 > s.files ? s.files : s.filesDone + 1}/${s.files}`, keep: 3 });
  if (s.total !== null && s.total > 0) {
    parts.push({ text: `${Math.min(100, Math.floor((100 * s.bytes) / s.total))}%`, keep: 5 });
    parts.push({ text: `${formatBytes(s.bytes)} of ${formatBytes(s.total)}`, keep: 2 });
  } else parts.push({ text: formatBytes(s.bytes), keep: 2 });
  parts.push({ text: `${s.records.toLocaleString('en-US')} records`, keep: 4 });
  if (rate > 0) parts.push({ text: `${formatBytes(rate)}/s`, keep: 1 });
  if (rate > 0 && s.total !== null && s.total > s.bytes) parts.push({ text: `${duration((s.total - s.bytes) / rate)} left`, keep: 2 });
  if (s.phase !== null) parts.unshift({ text: s.phase, keep: 6 });
  // drop the least needed parts until the numbers fit beside at least a short name
  const fits = () => parts.reduce((n, p) => n + p.text.length + 1, 0) <= width - 8;
  while (!fits() && parts.length > 1) {
    let least = 0;
    parts.forEach((p, i) => (p.keep < parts[least]!.keep ? (least = i) : undefined));
    parts.splice(least, 1);
  }
  const tail = ` ${parts.map((p) => p.text).join(' · ')}`;
  let name = s.file;
  const room = width - tail.length;
  if (name.length > room) name = room > 1 ? `…${name.slice(name.length - room + 1)}` : '';
  return (name + tail).slice(0, width);
}

/** `0:42`, `3:05`, `1:02:03`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function formatBytes(n: number): string {
  if (n < 1000) return `${Math.round(n)} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(0)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}
