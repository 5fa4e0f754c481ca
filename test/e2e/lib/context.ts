/**
 * What the runner (test/e2e/run.ts) shares with the UI specs: the main code-server (Workspace
 * Trust off) and the packaged extension. Specs that need another server (Restricted Mode) start it
 * themselves with startServer().
 */
import { log } from './env';
import type { Server } from './server';
import { failureShot, openWorkbench, type Workbench } from './workbench';

interface Shared {
  server?: Server;
  vsix?: string;
}
export const shared: Shared = {};

export function mainServer(): Server {
  if (!shared.server) throw new Error('the main code-server is not running (run the specs through test/e2e/run.ts)');
  return shared.server;
}

export function vsixPath(): string {
  if (!shared.vsix) throw new Error('no .vsix (run the specs through test/e2e/run.ts)');
  return shared.vsix;
}

/** What a spec's workbench opens: a folder on a server (its own one is stopped after the spec). */
export interface WorkbenchSetup {
  server: Server;
  folder: string;
  /** The spec started this server for itself: stop it after the spec. */
  ownServer?: boolean;
}

/**
 * Mocha hooks for a spec file: opens one workbench page (one extension host) before its tests,
 * screenshots the page when a test fails, closes it (and the spec's own server) after. Returns an
 * accessor for the page.
 */
export function useWorkbench(setup: () => Promise<WorkbenchSetup> | WorkbenchSetup): () => Workbench {
  let wb: Workbench | undefined;
  let own: Server | undefined;
  before(async function () {
    this.timeout(180_000);
    const s = await setup();
    if (s.ownServer) own = s.server;
    wb = await openWorkbench(s.server, s.folder);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      await failureShot(wb.page, this.currentTest.fullTitle());
      for (const e of wb.pageErrors.splice(0)) log(`page error: ${e}`);
    }
  });
  after(async () => {
    await wb?.close();
    await own?.stop();
  });
  return () => {
    if (!wb) throw new Error('the workbench did not open (see the before hook)');
    return wb;
  };
}
