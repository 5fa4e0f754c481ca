/**
 * The webviews' one script. The view kind comes from `<body data-view>`; the saved state (if the
 * webview was reloaded) is shown at once, then `ready` tells the host to send the content.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDataGrid,
  vsCodeDataGridCell,
  vsCodeDataGridRow,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeProgressRing,
} from '@vscode/webview-ui-toolkit';
import { isHostMessage, VIEW_KINDS, type HostMessage, type ViewKind } from '../../src/protocol/messages';
import { post } from './api';
import { h } from './dom';
import { Store } from './store';
import { AuditView } from './views/audit';
import { CompareView } from './views/compare';
import { DataView } from './views/data';
import { ExplainView } from './views/explain';
import { ReportView } from './views/report';
import { TrainingView } from './views/training';

// Not registered: vscode-badge and vscode-tag, whose FAST template writes an inline style
// attribute that the CSP (rightly) refuses; the views use plain styled spans instead.
provideVSCodeDesignSystem().register(
  vsCodeButton(),
  vsCodeCheckbox(),
  vsCodeDataGrid(),
  vsCodeDataGridCell(),
  vsCodeDataGridRow(),
  vsCodeDivider(),
  vsCodeDropdown(),
  vsCodeOption(),
  vsCodePanels(),
  vsCodePanelTab(),
  vsCodePanelView(),
  vsCodeProgressRing(),
);

interface View {
  onMessage(m: HostMessage): void;
}

function start(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const attr = document.body.dataset.view as ViewKind | undefined;
  const kind: ViewKind = attr && VIEW_KINDS.includes(attr) ? attr : 'report';
  const store = new Store(kind);
  const views: Record<ViewKind, () => View> = {
    report: () => new ReportView(root, store),
    training: () => new TrainingView(root, store),
    data: () => new DataView(root, store),
    compare: () => new CompareView(root, store),
    audit: () => new AuditView(root, store),
    explain: () => new ExplainView(root, store),
  };
  const view = views[kind]();
  const banner = h('div', { class: 'rml-banner fail', role: 'alert', hidden: true });
  root.before(banner);
  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    const m = e.data;
    if (!isHostMessage(m)) return;
    if (m.type === 'error') {
      banner.textContent = m.message;
      banner.hidden = false;
      if (!store.state.content && !store.state.training) {
        root.replaceChildren(h('p', { class: 'rml-meta' }, 'Nothing to show.'));
        root.setAttribute('aria-busy', 'false');
      }
      return;
    }
    banner.hidden = true;
    view.onMessage(m);
  });
  post({ type: 'ready' });
}

start();
