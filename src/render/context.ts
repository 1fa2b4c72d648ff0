/**
 * Everything a template may use, computed once from the answers. Templates stay declarative:
 * derived values (image names, identity, Vault paths) are decided here, in code that is tested.
 */
import { getLanguage, identityOf, type Identity, type Language, type LanguageId } from '../languages.js';
import { languagePins, servicePins, toolPins } from '../pins.js';
import type { Answers, BackingService } from '../questions.js';
import { builtFolderOf, copyPattern, splitCommand } from '../validate.js';
import { escapers } from './escape.js';

/** Facts read from the user's machine before rendering (rendering itself never reads the disk). */
export interface Facts {
  /** The principal for .allowed_signers: git's user.email, or a placeholder to edit. */
  signerEmail: string;
  /** The SSH public key line (`ssh-ed25519 AAAA… comment`), when the key file exists. */
  signerPublicKey: string | null;
  /**
   * Languages besides the chosen one whose manifest is in the project folder (a Laravel app's
   * package.json for Vite): their caches and build output are in .dockerignore too, since they
   * would reach the build context all the same (I02).
   */
  otherLanguages?: LanguageId[];
}

export const noFacts: Facts = { signerEmail: 'you@example.com', signerPublicKey: null };

export interface BackingServiceInfo {
  name: BackingService;
  image: string;
  /** The secret file under secrets/ holding its password, shared by the service and the app. */
  secret: string;
  /** The environment variable the app reads the password from (in Nomad, from Vault). */
  secretEnv: string;
  port: number;
}

const serviceFacts: Record<BackingService, { secret: string; secretEnv: string; port: number }> = {
  postgres: { secret: 'postgres_password', secretEnv: 'POSTGRES_PASSWORD', port: 5432 },
  redis: { secret: 'redis_password', secretEnv: 'REDIS_PASSWORD', port: 6379 },
  mongo: { secret: 'mongo_password', secretEnv: 'MONGO_PASSWORD', port: 27017 },
};

/** The file under secrets/ that holds a backing service's password, or undefined for a name that is none. */
export function serviceSecretFile(service: string): string | undefined {
  return Object.hasOwn(serviceFacts, service) ? serviceFacts[service as BackingService].secret : undefined;
}

export interface VaultSecret {
  /** Environment variable name in the task. */
  env: string;
  /** Logical path inside the mount, `<svc>/<NAME>` (the value is stored under key `value`). */
  path: string;
  /** The API path the template reads and the policy grants: `<mount>/data/<svc>/<NAME>` for KV v2. */
  readPath: string;
}

export interface RenderContext {
  a: Answers;
  generator: { name: string; version: string };
  language: Language;
  /** I02 for the other languages in the project folder (facts.otherLanguages): entries the chosen language's list lacks. */
  otherBuildOutput: { label: string; entries: string[] }[];
  images: { build: string; runtime: string };
  /** D08: the pinned versions of the package managers a build stage installs first (uv, Poetry). */
  tools: typeof toolPins;
  identity: Identity;
  /** The start command in exec form. */
  startArgv: string[];
  /** The folder the build stage writes and the runtime copies (the `buildScript` answer's output), or null. */
  builtFolder: string | null;
  /** D06: the app's COPY lines into the working directory, one per source (wildcards grouped by folder). */
  appCopies: { from: string[]; to: string }[];
  /**
   * D12, C09: the container's own health probe and its timings. The Dockerfile HEALTHCHECK and the
   * compose healthcheck both print this one value, so the two cannot drift apart.
   */
  healthcheck: { argv: string[]; interval: string; timeout: string; startPeriod: string; retries: number };
  services: BackingServiceInfo[];
  /** Every secret the app receives: its own, then those of its backing services. */
  appSecrets: string[];
  vault: {
    kv: 1 | 2;
    mount: string;
    policyName: string;
    secrets: VaultSecret[];
    /** Go-template accessor for the `value` key: `.Data.data.value` (v2) or `.Data.value` (v1). */
    valueField: string;
    /** KV v2 metadata prefix the policy may list (V01); null for v1. */
    listPath: string | null;
  };
  facts: Facts;
  /**
   * The project's folder inside its git repository (`services/api`), '' at the repository's top
   * or outside any: CI runs at the top, and git reads a relative gpg.ssh.allowedSignersFile from
   * there, so the commands SECURITY.md gives for them name the folder.
   */
  folder: string;
  /**
   * Whether the project has this output (by ID) once the run is done. A template names another
   * generated file (SECURITY.md, scripts/build-image.sh) only when it is there: `add nomad` alone
   * writes neither.
   */
  projectHas: (outputId: string) => boolean;
  json: typeof escapers.json;
  yaml: typeof escapers.yaml;
  hcl: typeof escapers.hcl;
  gotmpl: typeof escapers.gotmpl;
  sh: typeof escapers.sh;
  mdCode: typeof escapers.mdCode;
}

/** `present`: the output IDs the project has after the run; every output when omitted (create). */
export function buildContext(a: Answers, facts: Facts, generatorVersion: string, present?: ReadonlySet<string>, folder = ''): RenderContext {
  const pins = languagePins[a.language][a.languageVersion];
  const build = pins?.build[a.base];
  const runtime = pins?.runtime[a.base];
  if (!build || !runtime) throw new Error(`no pinned images for ${a.language} ${a.languageVersion} on ${a.base}`);
  const services = a.services.map((name) => ({ name, image: servicePins[name], ...serviceFacts[name] }));
  const appSecrets = [...a.secrets, ...services.map((s) => s.secretEnv)];
  const secrets = appSecrets.map((env) => {
    const path = `${a.name}/${env}`;
    return { env, path, readPath: a.vaultKv === 2 ? `${a.vaultMount}/data/${path}` : `${a.vaultMount}/${path}` };
  });
  const language = getLanguage(a.language);
  return {
    a,
    generator: { name: 'create-secure-service', version: generatorVersion },
    language,
    otherBuildOutput: otherBuildOutputOf(language, facts.otherLanguages ?? [], [...a.sources, ...(language.probeScript ? [language.probeScript] : [])]),
    images: { build, runtime },
    tools: toolPins,
    identity: identityOf(a.language, a.base),
    startArgv: splitCommand(a.start),
    builtFolder: a.buildScript ? builtFolderOf(a.start) : null,
    appCopies: appCopiesOf(a.sources, language.probeScript),
    healthcheck: { argv: language.probe(a.base, splitCommand(a.start)), interval: '30s', ...language.probeTiming, retries: 3 },
    services,
    appSecrets,
    vault: {
      kv: a.vaultKv,
      mount: a.vaultMount,
      policyName: `${a.name}-read`,
      secrets,
      valueField: a.vaultKv === 2 ? '.Data.data.value' : '.Data.value',
      listPath: a.vaultKv === 2 ? `${a.vaultMount}/metadata/${a.name}/` : null,
    },
    facts,
    folder,
    projectHas: (outputId) => present === undefined || present.has(outputId),
    ...escapers,
  };
}

/**
 * `sources`: what the Dockerfile copies. Another language's output folder that is one of them
 * (Go's bin/ where express-generator keeps bin/www) stays in the context: the build needs it.
 */
function otherBuildOutputOf(language: Language, others: readonly LanguageId[], sources: readonly string[]): { label: string; entries: string[] }[] {
  const listed = new Set([...language.buildOutput, ...sources.map((s) => s.split('/')[0]!)]);
  const out: { label: string; entries: string[] }[] = [];
  for (const id of others) {
    if (id === language.id) continue;
    const other = getLanguage(id);
    const entries = other.buildOutput.filter((e) => !listed.has(e));
    for (const e of entries) listed.add(e);
    if (entries.length > 0) out.push({ label: other.label, entries });
  }
  return out;
}

/**
 * `COPY <path> ./<path>` is right whether the path is a file or a folder (a folder's contents
 * land in a folder of the same name), so rendering needs no look at the disk. Wildcards copy
 * into their folder (`COPY *.go ./`), and those of one folder share a line. The health probe
 * script gets a line of its own when no source holds it (an existing project's layout).
 */
export function appCopiesOf(sources: readonly string[], probeScript?: string): { from: string[]; to: string }[] {
  const copies: { from: string[]; to: string }[] = [];
  const holds = (source: string, path: string) => path === source || path.startsWith(`${source}/`) || (/[*?]/.test(source) && copyPattern(source).test(path));
  const all = probeScript && !sources.some((s) => holds(s, probeScript)) ? [...sources, probeScript] : sources;
  for (const source of all) {
    if (!/[*?]/.test(source)) {
      copies.push({ from: [source], to: `./${source}` });
      continue;
    }
    const dir = source.includes('/') ? `./${source.slice(0, source.lastIndexOf('/'))}/` : './';
    const same = copies.find((c) => c.to === dir && c.from.every((f) => /[*?]/.test(f)));
    if (same) same.from.push(source);
    else copies.push({ from: [source], to: dir });
  }
  return copies;
}
