import type { AnalyticsPanel } from './analyticsPanel';

/**
 * The open analytics panel, kept apart from the panel's code so the public API can answer
 * without loading the panel (and its charts, exports and protocol) at activation.
 */
let open: AnalyticsPanel | undefined;

export function openAnalyticsPanel(): AnalyticsPanel | undefined {
  return open;
}

export function setOpenAnalyticsPanel(panel: AnalyticsPanel | undefined): void {
  open = panel;
}
