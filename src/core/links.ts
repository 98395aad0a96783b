/**
 * Payment links and file names: values typed by the user that end up in an HTML email (href) or a
 * path on disk. Pure checks, one rule each, used by every command that takes them.
 */
import { UsageError } from './errors.js';
import { t } from '../i18n/index.js';

/**
 * A payment link (or a payment_link.pattern with {number}): only an absolute http:// or https:// URL
 * with a host. `javascript:`, `data:`, `file:` or a relative path would become a live link in the
 * HTML email and on the PDF.
 */
export function checkPaymentLink(text: string, what = t('common.link.what')): string {
  const s = text.trim();
  const fail = (why: string): never => {
    throw new UsageError(t('common.link.bad', { what, text, why }));
  };
  if (/[\s<>"'`]/.test(s)) fail(t('common.link.spaces'));
  if (!/^https?:\/\//i.test(s)) fail(t('common.link.notHttp'));
  let url: URL;
  try {
    url = new URL(s.replace(/\{number\}/g, 'F-2026-0001'));
  } catch {
    return fail(t('common.link.notUrl'));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(t('common.link.notHttp'));
  if (!url.hostname) fail(t('common.link.noHost'));
  return s;
}

/** True for a link that may be rendered: an absolute http(s) URL (a value stored before the check is dropped). */
export function isWebLink(s: string | null | undefined): s is string {
  return typeof s === 'string' && /^https?:\/\/[^\s<>"'`]+$/i.test(s.trim());
}

/** A file name made of safe characters (letters, digits, ".", "_", "-"), never "." or "..". */
export function safeName(s: string): string {
  const name = s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.{2,}/g, '_').replace(/^[_.]+|_+$/g, '');
  return name || 'x';
}
