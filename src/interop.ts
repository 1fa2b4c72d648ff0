/**
 * A CommonJS package loaded with dynamic import(): Node gives its exports as named properties, a
 * bundle may give them only as `default` (the module.exports object). This gives the exports either way.
 */
export function commonJs<T extends object>(module: T): T {
  return 'default' in module && typeof module.default === 'object' && module.default !== null ? (module.default as T) : module;
}
