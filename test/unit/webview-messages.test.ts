import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRecord } from '../../src/core/report/types';
import { isHostMessage, isPersistedState, isWebviewMessage, type HostMessage, type PersistedState } from '../../src/protocol/messages';

const run = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/runs/example-run/run.json'), 'utf8')) as RunRecord;

describe('webview message narrowing', () => {
  it('accepts well-formed webview messages', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'cancelTraining' },
      { type: 'export', requestId: 1, format: 'html' },
      { type: 'export', requestId: 2, format: 'markdown' },
      { type: 'open', path: '/w/a.rml.yaml' },
      { type: 'open', path: '/w/a.csv', line: 3 },
      { type: 'train', configFile: '/w/a.rml.yaml' },
      { type: 'showReport', dir: '/w/.rml/runs/x' },
    ]) assert.ok(isWebviewMessage(m), JSON.stringify(m));
  });

  it('rejects malformed webview messages', () => {
    for (const m of [
      null, undefined, 'ready', 42, [], {}, { type: 'nope' }, { type: 'READY' },
      { type: 'export', format: 'html' }, { type: 'export', requestId: '1', format: 'html' }, { type: 'export', requestId: 1, format: 'pdf' },
      { type: 'export', requestId: 1.5, format: 'html' },
      { type: 'open' }, { type: 'open', path: '' }, { type: 'open', path: 3 }, { type: 'open', path: '/a', line: 0 }, { type: 'open', path: '/a', line: '2' },
      { type: 'train' }, { type: 'train', configFile: {} }, { type: 'showReport' },
    ]) assert.ok(!isWebviewMessage(m), JSON.stringify(m));
  });

  it('accepts well-formed host messages and rejects malformed ones', () => {
    const overall = { accuracy: 1, balancedAccuracy: 1, precision: 1, recall: 1, f1: 1, selectionRate: 0.5, baseRate: 0.5, rocAuc: null, tp: 1, fp: 0, tn: 1, fn: 0 };
    const audit = {
      type: 'audit' as const,
      command: 'rml audit …',
      result: { file: '/p.csv', positive: '1', positiveInferred: false, predictionsFrom: "'y_pred'", minGroupSize: 30, notes: [], json: { rows: 2, overall, sensitive: {}, gate: { passed: true, failures: [], limits: [] }, timings: { readMs: 1, computeMs: 1 } } },
    };
    const good: HostMessage[] = [
      { type: 'report', dir: '/r', run, configFile: '/c.rml.yaml', thresholds: { demographicParityDifference: 0.1 } },
      { type: 'training/start', name: 'n', configFile: '/c.rml.yaml', epochs: 30 },
      { type: 'training/stage', stage: 'training' },
      { type: 'training/estimate', estimate: { seconds: 12, kWh: 0.0003, co2eGrams: 0.13, gramsPerKWh: 445, upperBound: true } },
      { type: 'training/epoch', epoch: run.history[0] },
      { type: 'training/end', status: 'cancelled' },
      { type: 'training/detached' },
      { type: 'data', profile: { file: '/d.csv', hash: 'h', rows: 1, duplicateRows: 0, columns: [] }, findings: [], configFile: '/c.rml.yaml', masked: ['email'] },
      { type: 'compare', a: { dir: '/a', run }, b: { dir: '/b', run } },
      { type: 'exported', requestId: 3, path: '/r/report.html' },
      { type: 'error', message: 'gone' },
      audit,
    ];
    for (const m of good) assert.ok(isHostMessage(m), m.type);
    for (const m of [
      { type: 'report', dir: '/r', run: { name: 'x' }, configFile: '/c' },
      { type: 'report', dir: '/r', run, configFile: '/c', thresholds: { x: '0.1' } },
      { type: 'training/start', name: 'n', configFile: '/c', epochs: '30' },
      { type: 'training/epoch', epoch: { epoch: 1 } },
      { type: 'training/end', status: 'done' },
      { type: 'training/estimate', estimate: { seconds: '12', kWh: 0, co2eGrams: 0, gramsPerKWh: 445, upperBound: true } },
      { type: 'data', profile: {}, findings: [], configFile: '/c' },
      { type: 'data', profile: { columns: [] }, findings: [], configFile: '/c', masked: [1] },
      { type: 'exported', requestId: 'x' },
      { ...audit, command: undefined },
      { ...audit, result: { ...audit.result, json: { ...audit.result.json, sensitive: [] } } },
      { type: 'error' },
      { type: 'ready' },
    ]) assert.ok(!isHostMessage(m), JSON.stringify(m).slice(0, 80));
  });

  it('restores only well-formed persisted state', () => {
    const report: PersistedState = { view: 'report', content: { type: 'report', dir: '/r', run, configFile: '/c' }, ui: { tab: 'fairness', whatifIndex: 20, onlyFlagged: true } };
    assert.ok(isPersistedState(report));
    const training: PersistedState = {
      view: 'training',
      training: { start: { type: 'training/start', name: 'n', configFile: '/c', epochs: 3 }, epochs: [run.history[0]], stage: 'training', end: { type: 'training/end', status: 'completed', dir: '/r' } },
    };
    assert.ok(isPersistedState(training));
    assert.ok(isPersistedState({ view: 'data' }));
    for (const s of [
      null, {}, { view: 'other' }, { view: 'report', content: { type: 'report' } }, { view: 'report', ui: { tab: {} } },
      { view: 'training', training: { start: { type: 'training/stage', stage: 'x' }, epochs: [] } },
      { view: 'training', training: { start: training.training?.start, epochs: [{ epoch: 'x' }] } },
    ]) assert.ok(!isPersistedState(s), JSON.stringify(s)?.slice(0, 80));
  });
});
