/**
 * The extension's manifest (package.json) against its code: settings, command ids, menus,
 * activation, language support, the walkthrough and the packaging allow-list. Pure: no VS Code.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE_GLOB as CORE_GLOB, CONFIG_FILE_PATTERN as CORE_PATTERN, validateConfigText } from '../../src/core/config';
import { RULE_METAS } from '../../src/core/lint';
import { COMMAND_CATEGORY, COMMANDS, CONTEXT, SETTINGS_SECTION, WALKTHROUGH_ID } from '../../src/extension/constants';
import { CONFIG_FILE_GLOB, CONFIG_FILE_PATTERN } from '../../src/extension/paths';
import { readSettingsWith, SETTINGS } from '../../src/extension/settings-schema';

const root = join(__dirname, '..', '..');

interface Command {
  command: string;
  title: string;
  category?: string;
}
interface MenuItem {
  command: string;
  when?: string;
}
interface Property {
  type: string;
  default: unknown;
  enum?: string[];
  description?: string;
  markdownDescription?: string;
}
interface Manifest {
  main: string;
  icon: string;
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string | boolean; description?: string } };
  contributes: {
    commands: Command[];
    menus: Record<string, MenuItem[]>;
    configuration: { properties: Record<string, Property> };
    jsonValidation: { fileMatch: string; url: string }[];
    yamlValidation: { fileMatch: string; url: string }[];
    snippets: { language: string; path: string }[];
    walkthroughs: { id: string; steps: { id: string; media: { svg?: string; image?: string; altText?: string }; completionEvents?: string[] }[] }[];
  };
  scripts: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const contributed = pkg.contributes;

describe('extension manifest', () => {
  describe('settings', () => {
    const props = contributed.configuration.properties;

    it('declares every typed setting under rml.* with the same JSON type and enum', () => {
      for (const spec of Object.values(SETTINGS)) {
        const p = props[`${SETTINGS_SECTION}.${spec.key}`];
        assert.ok(p, `package.json lacks rml.${spec.key}`);
        assert.deepEqual(p.type, spec.type, `rml.${spec.key} type`);
        assert.deepEqual(p.enum, spec.enum, `rml.${spec.key} enum`);
        assert.ok(p.description ?? p.markdownDescription, `rml.${spec.key} has no description`);
      }
    });

    it('has no setting that the code does not read', () => {
      const known = new Set(Object.values(SETTINGS).map((s) => `${SETTINGS_SECTION}.${s.key}`));
      for (const key of Object.keys(props)) assert.ok(known.has(key), `${key} is in package.json but not in settings-schema.ts`);
    });

    it("takes its defaults from package.json alone, and every default is well-formed", () => {
      const defaults = (key: string) => props[`${SETTINGS_SECTION}.${key}`]?.default;
      const s = readSettingsWith(defaults, defaults);
      assert.equal(s.backend, 'auto');
      assert.equal(s.lintEnable, true);
      assert.deepEqual({ ...s.lintRules }, {});
    });

    it('falls back to the default for a malformed user value, and keeps the good entries of rml.lint.rules', () => {
      const defaults = (key: string) => props[`${SETTINGS_SECTION}.${key}`]?.default;
      const user: Record<string, unknown> = { 'training.backend': 'gpu', 'lint.delay': -5, 'lint.rules': { RML001: 'off', RML002: 'loud' } };
      const s = readSettingsWith((k) => (k in user ? user[k] : defaults(k)), defaults);
      assert.equal(s.backend, 'auto');
      assert.equal(s.lintDelay, defaults('lint.delay'));
      assert.deepEqual({ ...s.lintRules }, { RML001: 'off' });
    });

    it('lists every lint rule of the registry in rml.lint.rules, with its name and default', () => {
      const rules = (props['rml.lint.rules'] as Property & { properties: Record<string, Property> }).properties;
      assert.deepEqual(Object.keys(rules).sort(), RULE_METAS.map((m) => m.id).sort());
      for (const m of RULE_METAS) assert.ok(rules[m.id].markdownDescription?.startsWith(`\`${m.name}\` (default: ${m.defaultSeverity}).`), m.id);
    });
  });

  describe('commands', () => {
    const ids = Object.values(COMMANDS);

    it('contributes exactly the commands the code registers, each with the category and an rml. id', () => {
      const declared = contributed.commands.map((c) => c.command).sort();
      assert.deepEqual(declared, [...ids].sort());
      for (const c of contributed.commands) {
        assert.match(c.command, /^rml\.[a-z][A-Za-z]+$/);
        assert.equal(c.category, COMMAND_CATEGORY, `${c.command} category`);
        assert.ok(c.title.length > 0);
      }
    });

    it('menus name only contributed commands; training and the audit are hidden in Restricted Mode', () => {
      const known = new Set<string>(ids);
      for (const [menu, items] of Object.entries(contributed.menus)) {
        for (const item of items) {
          assert.ok(known.has(item.command), `${menu}: unknown command ${item.command}`);
          if (item.command === COMMANDS.train || item.command === COMMANDS.auditPredictions) assert.match(item.when ?? '', /isWorkspaceTrusted/, `${menu}: ${item.command} without isWorkspaceTrusted`);
        }
      }
      for (const id of [COMMANDS.newConfig, COMMANDS.auditPredictions]) assert.ok(contributed.menus['explorer/context'].some((m) => m.command === id && /\.csv/.test(m.when ?? '')), `${id} on a CSV in the Explorer`);
      assert.ok(contributed.menus.commandPalette.some((m) => m.command === COMMANDS.auditPredictions && m.when === 'isWorkspaceTrusted'));
    });

    it('hides the commands that need an argument from the palette, and uses declared context keys', () => {
      const palette = contributed.menus.commandPalette;
      for (const id of [COMMANDS.openRun, COMMANDS.quickFixApplied, COMMANDS.openRuleDoc]) {
        assert.ok(palette.some((m) => m.command === id && m.when === 'false'), `${id} visible in the palette`);
      }
      const contextKeys = new Set<string>(Object.values(CONTEXT));
      for (const items of Object.values(contributed.menus)) {
        for (const item of items) for (const key of (item.when ?? '').match(/\brml\.[a-zA-Z]+/g) ?? []) assert.ok(contextKeys.has(key), key);
      }
    });
  });

  describe('activation, trust and language support', () => {
    it('activates on training configs in the workspace (commands activate implicitly)', () => {
      assert.ok(pkg.activationEvents.includes(`workspaceContains:${CONFIG_FILE_GLOB}`));
      assert.ok(!pkg.activationEvents.includes('*'));
    });

    it('matches config files exactly as the core does', () => {
      assert.equal(CONFIG_FILE_GLOB, CORE_GLOB);
      assert.equal(CONFIG_FILE_PATTERN.source, CORE_PATTERN.source);
    });

    it('declares limited support for untrusted workspaces, with a reason', () => {
      assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
      assert.match(pkg.capabilities.untrustedWorkspaces.description ?? '', /lint/i);
    });

    it('contributes the JSON Schema for *.rml.json and *.rml.yaml/yml, from the file the build ships', () => {
      assert.deepEqual(contributed.jsonValidation, [{ fileMatch: '*.rml.json', url: './dist/rml.schema.json' }]);
      assert.deepEqual(contributed.yamlValidation.map((v) => v.fileMatch).sort(), ['*.rml.yaml', '*.rml.yml']);
      const build = readFileSync(join(root, 'scripts', 'build.mjs'), 'utf8');
      assert.match(build, /rml\.schema\.json/);
    });

    it('keeps engines.vscode at ^1.90.0 with matching @types/vscode', () => {
      assert.equal(pkg.engines.vscode, '^1.90.0');
      assert.equal(pkg.devDependencies['@types/vscode'], '~1.90.0');
    });

    it('ships snippets that parse and whose full config is valid', () => {
      for (const s of contributed.snippets) {
        const file = join(root, s.path);
        const snippets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { prefix: string; body: string[] }>;
        for (const [name, sn] of Object.entries(snippets)) assert.match(sn.prefix, /^rml-/, `${name}: prefix`);
        const full = Object.values(snippets).find((sn) => sn.prefix === 'rml-config');
        assert.ok(full, `${s.path} has no rml-config snippet`);
        // Expand the placeholders to their defaults (choices: the first one).
        const text = full.body
          .join('\n')
          .replace(/\$\{\d+\|([^,|]+)[^}]*\}/g, '$1')
          .replace(/\$\{\d+:([^}]*)\}/g, '$1')
          .replace(/\$\d+/g, '');
        const ext = s.language === 'yaml' ? 'yaml' : 'json';
        const r = validateConfigText(text, join(root, 'examples', `snippet.rml.${ext}`), { root });
        assert.deepEqual(r.errors.map((e) => e.message), [], `${s.path}: the rml-config snippet is not a valid config`);
      }
    });
  });

  describe('walkthrough and packaging', () => {
    it('has the Get started walkthrough with media that exists', () => {
      const w = contributed.walkthroughs.find((x) => x.id === WALKTHROUGH_ID);
      assert.ok(w);
      assert.deepEqual(w.steps.map((s) => s.id), ['openExample', 'lint', 'train', 'report', 'quickFix']);
      for (const s of w.steps) {
        const media = s.media.svg ?? s.media.image;
        assert.ok(media && existsSync(join(root, media)), `${s.id}: missing media ${media}`);
        assert.ok(s.media.altText, `${s.id}: no altText`);
        for (const ev of s.completionEvents ?? []) {
          const m = /^onCommand:(.+)$/.exec(ev);
          if (m && m[1].startsWith('rml.')) assert.ok(Object.values(COMMANDS).includes(m[1] as never), `${s.id}: ${ev}`);
        }
      }
    });

    it('has the icon, and a .vscodeignore allow-list that ships the bundles but no source or maps', () => {
      assert.ok(existsSync(join(root, pkg.icon)));
      assert.equal(pkg.main, './dist/extension.js');
      const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
      assert.equal(ignore.find((l) => l && !l.startsWith('#')), '**', 'the first pattern must exclude everything');
      for (const f of ['!dist/extension.js', '!dist/extension-core.js', '!dist/lint-worker.js', '!dist/worker.js', '!dist/rml.schema.json', '!dist/*.wasm', '!package.json', '!LICENSE', '!README.md']) assert.ok(ignore.includes(f), f);
      assert.ok(!ignore.some((l) => /^!.*\.map$|^!src|^!node_modules|^!dist\/\*\*$/.test(l)), 'source, maps or node_modules let back in');
      assert.match(pkg.scripts.package, /vsce package --no-dependencies/);
      assert.match(pkg.scripts['vscode:prepublish'], /build\.mjs --production/);
    });
  });
});
