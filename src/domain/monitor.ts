// Monitoring's pure model, one module per seam under src/domain/monitor/: statistics and rollups,
// the sources other areas provide, alert rules and their lifecycle, the conditions rules watch,
// notification channels, and the unified log. Importers may name this file or the module itself.
export * from './monitor/stats.js';
export * from './monitor/sources.js';
export * from './monitor/alerts.js';
export * from './monitor/conditions.js';
export * from './monitor/notifications.js';
export * from './monitor/log.js';
