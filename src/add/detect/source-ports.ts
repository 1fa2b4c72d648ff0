/**
 * Ports written in application code or config, read from a few named files only (the entry point
 * and the framework's config), never from a walk over all sources. Each pattern is the idiom of
 * its ecosystem for "listen on N unless PORT says otherwise"; what a pattern skips over is bounded
 * and stops at a line's end, so a hostile file cannot make it backtrack over the whole text.
 */
import { portRank, type PortCandidate, type RepoView } from './repo.js';

export const codePortPatterns: Record<'js' | 'python' | 'go' | 'rust' | 'php', RegExp[]> = {
  js: [
    // process.env.PORT || 3000, Number(process.env.PORT) || 3000, parseInt(process.env["PORT"], 10) ?? 3000.
    /process\.env(?:\.PORT\b|\[\s*['"]PORT['"]\s*\])\s*(?:,\s*10\s*)?\)?\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})\b/,
    // const { PORT = 3000 } = process.env
    /\{[^}\n]{0,200}\bPORT\s*=\s*['"]?(\d{2,5})\b[^}\n]{0,200}\}\s*=\s*process\.env\b/,
    /\.listen\(\s*(\d{2,5})\b/,
    /\b(?:const|let|var)\s+(?:port|PORT)\s*=\s*(\d{2,5})\b/,
    /\bport\s*:\s*(\d{2,5})\b/,
  ],
  python: [
    /\b(?:environ\.get|getenv)\(\s*["']PORT["']\s*,\s*["']?(\d{2,5})\b/,
    // int(os.getenv("PORT") or 8000)
    /\b(?:environ\.get|getenv)\(\s*["']PORT["']\s*\)\s*or\s*["']?(\d{2,5})\b/,
    /\.run\([^)\n]{0,300}\bport\s*=\s*(\d{2,5})\b/,
    /--port[= ](\d{2,5})\b/,
    /\bbind\s*=\s*["'][^"':\n]{0,200}:(\d{2,5})["']/,
  ],
  go: [
    /(?:ListenAndServe|Run|Listen|Start)\(\s*"[^"\n]{0,200}:(\d{2,5})"/,
    /\bAddr:\s*"[^"\n]{0,200}:(\d{2,5})"/,
    /"PORT"\)[\s\S]{0,120}?"(\d{4,5})"/,
    // The flag idioms of "Let's Go": flag.String("addr", ":4000", ...), flag.IntVar(&cfg.port, "port", 4000, ...).
    /\bflag\.String(?:Var)?\((?:&[\w.]+,\s*)?"[\w-]*(?:addr|listen|http|port)[\w-]*"\s*,\s*"[^"\n]{0,100}:(\d{2,5})"/i,
    /\bflag\.Int(?:Var)?\((?:&[\w.]+,\s*)?"[\w-]*port[\w-]*"\s*,\s*(\d{2,5})\s*,/i,
    /\b(?:addr|address|listenAddr|httpAddr)\s*:?=\s*"[^"\n]{0,100}:(\d{2,5})"/,
  ],
  rust: [
    /"(?:0\.0\.0\.0|127\.0\.0\.1|\[::\]|localhost):(\d{2,5})"/,
    /\(\s*\[0,\s*0,\s*0,\s*0\],\s*(\d{2,5})\s*\)/,
    // actix-web's HttpServer::new(..).bind(("0.0.0.0", 8080)): a (host, port) tuple.
    /\bbind\(\s*\(\s*"[^"\n]{0,100}"\s*,\s*(\d{2,5})\s*\)/,
    // env::var("PORT").unwrap_or_else(|_| "8090".to_string()), or .unwrap_or(8090) after a parse.
    /env::var\(\s*"PORT"\s*\)[^;]{0,200}?"(\d{2,5})"/,
    /env::var\(\s*"PORT"\s*\)[^;]{0,200}?\bunwrap_or\(\s*(\d{2,5})\s*\)/,
  ],
  php: [/-S\s+[\w.\-[\]:]*:(\d{2,5})\b/],
};

/** The first port found in the first of these files that has one. */
export async function portInCode(repo: RepoView, files: string[], patterns: RegExp[]): Promise<PortCandidate | null> {
  for (const file of files) {
    const text = await repo.read(file);
    if (text === null) continue;
    for (const pattern of patterns) {
      const m = pattern.exec(text);
      if (m) return { value: Number(m[1]), source: `${file}: ${oneLine(m[0])}`, rank: portRank.code };
    }
  }
  return null;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

/** `name` declared in one TOML table (`[package]`, `[project]`, `[tool.poetry]`): a small reader, enough for detection. */
export function tomlValue(text: string, table: string, key: string): string | null {
  const lines = text.split(/\r?\n/);
  let inTable = false;
  for (const line of lines) {
    const header = /^\s*\[([^\]]+)\]\s*(#.*)?$/.exec(line);
    if (header) {
      inTable = header[1]!.trim() === table;
      continue;
    }
    if (!inTable) continue;
    const m = new RegExp(`^\\s*${key.replace(/[.-]/g, '\\$&')}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(line);
    if (m) return m[1] ?? m[2] ?? null;
  }
  return null;
}
