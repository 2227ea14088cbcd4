import type { AnalyticsPanelView } from './analyticsPanel';

/**
 * Which analytics panel is open, kept apart from the panel's code so the public API can answer
 * without loading the panel (and its charts, exports and protocol) at activation.
 */
let open: AnalyticsPanelView | undefined;

export function openAnalyticsPanel(): AnalyticsPanelView | undefined {
  return open;
}

export function setOpenAnalyticsPanel(panel: AnalyticsPanelView | undefined): void {
  open = panel;
}
