/**
 * `GET /items/{id}` → `GetItemsById`; `/orders/{proxy+}` → `OrdersProxy`. Stable, readable construct IDs.
 * @internal
 */
export function pascalRouteId(method: string, path: string): string {
  const words: string[] = [pascal(method.toLowerCase())];
  for (const segment of path.split('/').filter(Boolean)) {
    if (segment.startsWith('{')) {
      const name = segment.replace(/[{}+]/g, '');
      words.push(segment.endsWith('+}') ? pascal(name) : `By${pascal(name)}`);
    } else {
      words.push(pascal(segment));
    }
  }
  if (path === '/') { words.push('Root'); }
  return words.join('');
}

/** `items-v2` → `ItemsV2`. @internal */
export function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(w => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/**
 * An 8-hex-digit FNV-1a hash of `text`: stable across runs and Node versions, for construct IDs and
 * physical names. @internal
 */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).toUpperCase().padStart(8, '0');
}
