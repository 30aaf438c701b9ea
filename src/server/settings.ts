/**
 * The server's settings: pulled with workspace/configuration when the client supports it (VS
 * Code), else taken from initializationOptions (editors that configure servers once, e.g. a
 * Neovim `init_options = { debounceMs = 0 }`), else the defaults. Values are clamped, so a bad
 * setting can never make the server misbehave.
 */
import { defaultServerSettings, type ServerSettings } from '../protocol/protocol.js';

const clamp = (x: unknown, lo: number, hi: number, fallback: number): number =>
  typeof x === 'number' && Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : fallback;
const bool = (x: unknown, fallback: boolean): boolean => (typeof x === 'boolean' ? x : fallback);
const obj = (x: unknown): Record<string, unknown> =>
  typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {};

/** Accepts both nested (`{inlayHints: {enabled}}`) and dotted (`{'inlayHints.enabled'}`) shapes. */
export function normaliseSettings(
  raw: unknown,
  base: ServerSettings = defaultServerSettings,
): ServerSettings {
  const r = obj(raw);
  const d = base;
  return {
    debounceMs: Math.round(clamp(r.debounceMs, 0, 5000, d.debounceMs)),
    significantDigits: Math.round(clamp(r.significantDigits, 3, 10, d.significantDigits)),
    inlayHints: { enabled: bool(obj(r.inlayHints).enabled ?? r['inlayHints.enabled'], d.inlayHints.enabled) },
    codeLens: { enabled: bool(obj(r.codeLens).enabled ?? r['codeLens.enabled'], d.codeLens.enabled) },
    maxExactSize: Math.round(clamp(r.maxExactSize, 1000, 50_000_000, d.maxExactSize)),
    queryTimeLimitMs: Math.round(clamp(r.queryTimeLimitMs, 100, 600_000, d.queryTimeLimitMs)),
  };
}
