/**
 * Every question, declared once. From each definition come the interactive prompt, the `--flag`,
 * the answers-file key, the validation, and the name templates see (`a.<key>`). The array order is
 * the order questions are asked, and later defaults may depend on earlier answers.
 */
import { basesOf, getLanguage, languageIds, languages, packageManagerOf, versionsOf, type BaseFamily, type LanguageId } from './languages.js';
import * as parse from './validate.js';

export const backingServices = ['postgres', 'redis', 'mongo'] as const;
export type BackingService = (typeof backingServices)[number];
export const signingModes = ['ssh', 'gpg', 'none'] as const;
export type SigningMode = (typeof signingModes)[number];

export interface Answers {
  name: string;
  language: LanguageId;
  languageVersion: string;
  base: BaseFamily;
  port: number;
  healthPath: string;
  start: string;
  sources: string[];
  packageManager: string;
  buildScript: string;
  buildTarget: string;
  secrets: string[];
  services: BackingService[];
  networks: string[];
  cpu: number;
  memory: number;
  datacenter: string;
  vaultKv: 1 | 2;
  vaultMount: string;
  vaultRole: string;
  signing: SigningMode;
  signingKey: string;
  sourceUrl: string;
}

export type AnswerKey = keyof Answers;
type Known = Partial<Answers>;

export interface Choice {
  value: string;
  name: string;
}

export interface Question<K extends AnswerKey = AnswerKey> {
  key: K;
  /** The long flag without dashes; repeatable list flags use the singular (`--secret`). */
  flag: string;
  /** What the value looks like in --help. */
  placeholder: string;
  message: string;
  kind: 'text' | 'select' | 'checkbox' | 'list';
  choices?: (a: Known) => Choice[];
  /** The value used with --yes, and pre-selected in the prompt. */
  defaultValue: (a: Known) => Answers[K];
  /** Turn a raw value (flag string, JSON value or prompt text) into a valid answer, or throw InvalidAnswer. */
  parse: (raw: unknown, a: Known) => Answers[K];
  /** Asked only when this holds; otherwise the default applies. */
  when?: (a: Known) => boolean;
  /**
   * Asked only about an existing project (`add`, which also detects it); a new project's answer
   * is the seed app's, so `create` and `update` take the default unless a flag or file sets it.
   */
  existingProjectOnly?: boolean;
}

function question<K extends AnswerKey>(q: Question<K>): Question<K> {
  return q;
}

const lang = (a: Known) => getLanguage(a.language ?? 'node');

/**
 * Environment variables a backing service's wiring sets for the app (its password and the file
 * holding it, its host and port): a secret of the app's own by one of these names would be
 * overridden by compose's `environment` and differ from what Nomad gives it.
 */
export const serviceSecretNames: Record<string, string[]> = Object.fromEntries(
  backingServices.map((s) => {
    const upper = s.toUpperCase();
    return [s, [`${upper}_PASSWORD`, `${upper}_PASSWORD_FILE`, `${upper}_HOST`, `${upper}_PORT`]];
  }),
);

/** Where the backing services clash with the other answers: the service's own name, or a secret. */
export function servicesClash(services: readonly string[], a: Known): { flag: string; message: string } | null {
  if (a.name !== undefined && services.includes(a.name)) {
    return { flag: 'name', message: `${a.name} is both the service's name and a backing service's; compose needs distinct service names, so rename the service (e.g. ${a.name}-app) or leave out the ${a.name} backing service` };
  }
  for (const service of services) {
    const name = (serviceSecretNames[service] ?? []).find((n) => a.secrets?.includes(n));
    if (name) return { flag: 'secret', message: `${name} is a variable the ${service} service sets for the app (its credentials are generated for you); drop it from the secrets or rename it, or leave out the ${service} backing service` };
  }
  return null;
}
/** Where the chosen package manager writes the build's output (Gradle: build/libs/), else the seed's. */
const buildTargetDefault = (a: Known) => packageManagerOf(lang(a), a.packageManager)?.buildTarget ?? lang(a).buildTarget?.seed ?? '';

export const questions = [
  question({
    key: 'name', flag: 'name', placeholder: '<dns-label>', kind: 'text',
    message: 'Service name (lowercase letters, digits and dashes)',
    defaultValue: () => 'my-svc',
    parse: (raw) => parse.dnsLabel(raw, 'name'),
  }),
  question({
    key: 'language', flag: 'language', placeholder: `<${languageIds.join('|')}>`, kind: 'select',
    message: 'Language',
    choices: () => languages.map((l) => ({ value: l.id, name: l.label })),
    defaultValue: () => 'node' as const,
    parse: (raw) => parse.oneOf(raw, 'language', languageIds),
  }),
  question({
    key: 'languageVersion', flag: 'language-version', placeholder: '<version>', kind: 'select',
    message: 'Language version (pinned)',
    choices: (a) => versionsOf(a.language ?? 'node').map((v) => ({ value: v, name: v })),
    defaultValue: (a) => lang(a).defaultVersion,
    parse: (raw, a) => parse.oneOf(raw, 'language-version', versionsOf(a.language ?? 'node'), `for ${lang(a).label}`),
  }),
  question({
    key: 'base', flag: 'base', placeholder: '<alpine|distroless|debian-slim|scratch>', kind: 'select',
    message: 'Final base image family',
    choices: (a) => baseChoices(a).map((b) => ({ value: b, name: b })),
    defaultValue: (a) => baseChoices(a)[0] ?? 'alpine',
    parse: (raw, a) => parse.oneOf(raw, 'base', baseChoices(a), `for ${lang(a).label} ${a.languageVersion ?? ''}`.trimEnd()),
  }),
  question({
    key: 'port', flag: 'port', placeholder: '<1024-65535>', kind: 'text',
    message: 'Port the application listens on',
    defaultValue: (a) => lang(a).defaultPort,
    parse: (raw) => parse.port(raw),
  }),
  question({
    key: 'healthPath', flag: 'health-path', placeholder: '</path>', kind: 'text',
    message: 'HTTP health-check path',
    defaultValue: () => '/healthz',
    parse: (raw) => parse.urlPath(raw, 'health-path'),
  }),
  question({
    key: 'start', flag: 'start', placeholder: '<command>', kind: 'text',
    message: 'Start command',
    defaultValue: (a) => lang(a).defaultStart(a.port ?? lang(a).defaultPort),
    parse: (raw) => parse.command(raw, 'start'),
  }),
  question({
    key: 'sources', flag: 'source', placeholder: '<path>', kind: 'list',
    message: 'Files and folders of the app the image copies (comma-separated, e.g. src, app.py, *.go)',
    defaultValue: (a) => [...lang(a).seedSources],
    parse: (raw, a) => parse.appSources(raw, lang(a).buildOutput),
    existingProjectOnly: true,
  }),
  question({
    key: 'packageManager', flag: 'package-manager', placeholder: `<${[...new Set(languages.flatMap((l) => (l.packageManagers ?? []).map((m) => m.id)))].join('|')}>`, kind: 'select',
    message: 'Package manager the image installs the dependencies with, from its lockfile',
    choices: (a) => (lang(a).packageManagers ?? []).map((m) => ({ value: m.id, name: `${m.id} (${m.label ? `${m.label}, ` : ''}${m.lockfile})` })),
    defaultValue: (a) => lang(a).packageManagers?.[0]?.id ?? '',
    parse: (raw, a) => parse.packageManager(raw, lang(a)),
    when: (a) => lang(a).packageManagers !== undefined,
    existingProjectOnly: true,
  }),
  question({
    key: 'buildScript', flag: 'build-script', placeholder: '<npm script>', kind: 'text',
    message: 'package.json script that builds the app before it starts (e.g. build; empty for none)',
    defaultValue: () => '',
    parse: (raw, a) => parse.buildScript(raw, lang(a), a.start),
    when: (a) => lang(a).buildScript === true,
    existingProjectOnly: true,
  }),
  question({
    key: 'buildTarget', flag: 'build-target', placeholder: '<package|binary|jar>', kind: 'text',
    message: 'What the build makes (Go: the main package, e.g. ./cmd/server; Rust: the binary; Java: the jar Maven or Gradle writes; .NET: the project file, e.g. src/Api/Api.csproj, empty for the one at the top)',
    defaultValue: (a) => buildTargetDefault(a),
    parse: (raw, a) => parse.buildTarget(raw, lang(a), buildTargetDefault(a)),
    when: (a) => lang(a).buildTarget !== undefined,
    existingProjectOnly: true,
  }),
  question({
    key: 'secrets', flag: 'secret', placeholder: '<NAME>', kind: 'list',
    message: 'Secrets the app reads, as environment variable names (comma-separated, empty for none)',
    defaultValue: () => [],
    parse: (raw) => parse.secretNames(raw),
  }),
  question({
    key: 'services', flag: 'service', placeholder: `<${backingServices.join('|')}>`, kind: 'checkbox',
    message: 'Backing services',
    choices: () => backingServices.map((s) => ({ value: s, name: s })),
    defaultValue: () => [],
    parse: (raw, a) => {
      const services = parse.listOf(raw, 'service', (v) => parse.oneOf(v, 'service', backingServices));
      // Checked here too, so a prompt refuses the choice at once instead of after every question.
      const clash = servicesClash(services, a);
      if (clash) throw new parse.InvalidAnswer(clash.message);
      return services;
    },
  }),
  question({
    key: 'networks', flag: 'network', placeholder: '<name>', kind: 'list',
    message: 'Networks the app joins (comma-separated; backing services get an internal "data" network)',
    defaultValue: () => ['frontend', 'backend'],
    parse: (raw) => parse.networkNames(raw),
  }),
  question({
    key: 'cpu', flag: 'cpu', placeholder: '<cores>', kind: 'text',
    message: 'CPU limit in cores',
    defaultValue: () => 0.5,
    parse: (raw) => parse.cpu(raw),
  }),
  question({
    key: 'memory', flag: 'memory', placeholder: '<MiB|512M|1G>', kind: 'text',
    message: 'Memory limit in MiB',
    defaultValue: () => 256,
    parse: (raw) => parse.memory(raw),
  }),
  question({
    key: 'datacenter', flag: 'datacenter', placeholder: '<name>', kind: 'text',
    message: 'Nomad datacenter',
    defaultValue: () => 'dc1',
    parse: (raw) => parse.identifier(raw, 'datacenter'),
  }),
  question({
    key: 'vaultKv', flag: 'vault-kv', placeholder: '<1|2>', kind: 'select',
    message: 'Vault KV secrets engine version',
    choices: () => [{ value: '2', name: 'KV v2 (versioned)' }, { value: '1', name: 'KV v1' }],
    defaultValue: () => 2 as const,
    parse: (raw) => parse.kvVersion(raw),
  }),
  question({
    key: 'vaultMount', flag: 'vault-mount', placeholder: '<mount>', kind: 'text',
    message: 'Vault KV mount path',
    defaultValue: () => 'secret',
    parse: (raw) => parse.vaultMount(raw),
  }),
  question({
    key: 'vaultRole', flag: 'vault-role', placeholder: '<role>', kind: 'text',
    message: "Vault role for Nomad's workload identity",
    defaultValue: (a) => a.name ?? 'my-svc',
    parse: (raw) => parse.identifier(raw, 'vault-role'),
  }),
  question({
    key: 'signing', flag: 'signing', placeholder: '<ssh|gpg|none>', kind: 'select',
    message: 'Commit signing',
    choices: () => signingModes.map((s) => ({ value: s, name: s })),
    defaultValue: () => 'ssh' as const,
    parse: (raw) => parse.oneOf(raw, 'signing', signingModes),
  }),
  question({
    key: 'signingKey', flag: 'signing-key', placeholder: '<path|key-id>', kind: 'text',
    message: 'Signing key (SSH public key file, or GPG key ID)',
    when: (a) => a.signing !== 'none',
    defaultValue: (a) => (a.signing === 'gpg' ? '' : '~/.ssh/id_ed25519.pub'),
    parse: (raw, a) => parse.signingKey(raw, a.signing ?? 'ssh'),
  }),
  question({
    key: 'sourceUrl', flag: 'source-url', placeholder: '<https-url>', kind: 'text',
    message: 'Source repository URL (for OCI labels; empty to fill in later)',
    defaultValue: () => '',
    parse: (raw) => parse.sourceUrl(raw),
  }),
] as const satisfies readonly Question<AnswerKey>[];

function baseChoices(a: Known): BaseFamily[] {
  const language = a.language ?? 'node';
  return basesOf(language, a.languageVersion ?? getLanguage(language).defaultVersion);
}

export function findQuestion(key: string): Question | undefined {
  return (questions as readonly Question[]).find((q) => q.key === key);
}
