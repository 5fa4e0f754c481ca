/**
 * code-server (VS Code 1.100's web workbench + its Node extension host) for the e2e tests: one
 * isolated instance per call (own user data, extensions folder, HOME and port), started on
 * 127.0.0.1 and stopped by its own process-group id.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { LOGS, RUN, log, requireEnv, waitFor } from './env';

const execFileP = promisify(execFile);

export interface ServerOptions {
  /** A short name: the folder under test-output/e2e/run/servers/. */
  name: string;
  /** Workspace Trust on (folders open in Restricted Mode unless trusted) or off (everything trusted). */
  trust: boolean;
  /** The .vsix to install before starting. */
  vsix: string;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** User keybindings (keybindings.json). */
  keybindings?: { key: string; command: string; when?: string }[];
  /** Extra environment for the server (inherited by the extension host). */
  env?: Record<string, string>;
}

export interface Server {
  name: string;
  url: string;
  pid: number;
  dir: string;
  home: string;
  logFile: string;
  stop(): Promise<void>;
}

/** The settings every instance starts with: a quiet workbench with no network calls. */
const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  // "Toggle between Light/Dark Themes" goes Dark Modern → Light Modern → High Contrast (the report
  // screenshots in three themes, test/e2e/ui/10-example.e2e.ts)
  'workbench.preferredLightColorTheme': 'Default Light Modern',
  'workbench.preferredDarkColorTheme': 'Default High Contrast',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.editor.enablePreview': false,
  // no "what's new" / welcome pages
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

function csEntry(): string {
  return path.join(requireEnv('RML_E2E_CODE_SERVER'), 'out', 'node', 'entry.js');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Process-group ids of the servers still running (for the emergency stop on exit). */
const servers = new Set<number>();

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* the group is gone */
  }
}

/** Synchronous last resort (process 'exit' handler): end every server this process started. */
export function killAllServers(): void {
  for (const pid of servers) killGroup(pid, 'SIGKILL');
  servers.clear();
}

export async function startServer(opts: ServerOptions): Promise<Server> {
  const dir = path.join(RUN, 'servers', opts.name);
  fs.rmSync(dir, { recursive: true, force: true });
  const userData = path.join(dir, 'user-data');
  const extensions = path.join(dir, 'extensions');
  const home = path.join(dir, 'home');
  for (const d of [path.join(userData, 'User'), extensions, home, LOGS]) fs.mkdirSync(d, { recursive: true });
  const settings: Record<string, unknown> = { ...BASE_SETTINGS, ...opts.settings };
  if (opts.trust) {
    Object.assign(settings, {
      'security.workspace.trust.enabled': true,
      // open untrusted folders in Restricted Mode without the modal "Do you trust the authors?" dialog
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.emptyWindow': false,
    });
  } else {
    settings['security.workspace.trust.enabled'] = false;
  }
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  if (opts.keybindings) fs.writeFileSync(path.join(userData, 'User', 'keybindings.json'), JSON.stringify(opts.keybindings, null, 2));

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = path.join(dir, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  // HOME/XDG point into the run folder, so nothing is written to the real ~/.config, ~/.local, ~/.cache.
  // PORT is removed because code-server lets $PORT override --bind-addr.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    ...opts.env,
  };
  delete env.PORT;
  delete env.VSCODE_IPC_HOOK_CLI;
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];

  const t = Date.now();
  const { stdout } = await execFileP(process.execPath, [csEntry(), ...common, '--install-extension', opts.vsix], { env, timeout: 120_000 });
  if (!/successfully installed/i.test(stdout)) throw new Error(`installing ${opts.vsix} failed:\n${stdout}`);
  log(`[${opts.name}] installed ${path.basename(opts.vsix)} in ${Date.now() - t} ms`);

  const logFile = path.join(LOGS, `code-server-${opts.name}.log`);
  const out = fs.openSync(logFile, 'w');
  const args = [
    csEntry(), ...common,
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened',
    ...(opts.trust ? [] : ['--disable-workspace-trust']),
  ];
  // detached: its own process group, so stop() can end the server and the extension hosts and
  // file watchers it forks, by that group's id and nothing else.
  const child: ChildProcess = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  let exited = false;
  child.once('exit', () => (exited = true));

  await waitFor(`code-server [${opts.name}] to answer ${url}/healthz`, async () => {
    if (exited) throw new Error(`code-server exited; log: ${logFile}\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    const res = await fetch(`${url}/healthz`).catch(() => undefined);
    return res?.ok ? true : undefined;
  }, 60_000, 50);
  log(`[${opts.name}] code-server pid ${pid} on ${url} (trust ${opts.trust ? 'on' : 'off'}) after ${Date.now() - t} ms`);

  servers.add(pid);
  const stop = async (): Promise<void> => {
    if (!exited) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    // children that outlived the parent (a lingering extension host): same process group
    killGroup(pid, 'SIGTERM');
    servers.delete(pid);
    log(`[${opts.name}] code-server stopped`);
  };
  return { name: opts.name, url, pid, dir, home, logFile, stop };
}
