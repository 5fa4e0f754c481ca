/** The view's persisted state: kept in memory and saved with setState on every change. */
import type { HostMessage, PersistedState, ViewKind } from '../../src/protocol/messages';
import { loadState, saveState } from './api';

export class Store {
  readonly state: PersistedState;

  constructor(view: ViewKind) {
    this.state = loadState(view) ?? { view };
  }

  setContent(content: HostMessage): void {
    this.state.content = content;
    this.save();
  }

  ui<T extends string | number | boolean>(key: string, fallback: T): T {
    const v = this.state.ui?.[key];
    return (typeof v === typeof fallback ? v : fallback) as T;
  }

  setUi(key: string, value: string | number | boolean): void {
    this.state.ui = { ...this.state.ui, [key]: value };
    this.save();
  }

  save(): void {
    saveState(this.state);
  }
}
