/**
 * @smarty/notifier — statistics, alerts, encrypted email reports and the XMPP bot. Exported for tests and tools;
 * the service itself runs from main.ts.
 */
export { AlertDispatcher, alertText } from "./alerts/alert-dispatch.js";
export { AlertEngine } from "./alerts/alert-engine.js";
export { AlertService, NOTIFIER_ALERT_METER } from "./alerts/alert-service.js";
export { AlertStore } from "./alerts/alert-store.js";
export * from "./calendar.js";
export { runCommand } from "./commands.js";
export { type EmailSettings, loadNotifierConfig, type NotifierConfig, notifierEnv } from "./config.js";
export * from "./config-file.js";
export { EmailChannel } from "./email/email-channel.js";
export { keyForRecipient, loadPublicKeys, RecipientKeyError } from "./email/pgp-keys.js";
export * from "./email/pgp-mime.js";
export { classifySmtpError, createSmtpTransport, type SmtpSettings, type SmtpTls } from "./email/smtp-transport.js";
export { createNotifier, type Notifier, type NotifierDeps } from "./notifier.js";
export { NotifierCore } from "./notifier-core.js";
export { OutboxWorker } from "./outbox/outbox-worker.js";
export { RedisOutbox } from "./outbox/redis-outbox.js";
export * from "./ports.js";
export { barChartPng } from "./reports/chart-png.js";
export { type ReportData, reportData } from "./reports/report-data.js";
export { ReportScheduler, reportDueAt } from "./reports/report-scheduler.js";
export { ReportService, reportPayload } from "./reports/report-service.js";
export { hourlyCsv, reportHtmlBody, reportTextBody } from "./reports/report-text.js";
export { finalizePeriod } from "./statistics/finalize.js";
export { type MeterState, newMeterState, step } from "./statistics/meter-state.js";
export { sampleFromReading } from "./statistics/registers.js";
export { StatisticsEngine } from "./statistics/statistics-engine.js";
export { StatisticsStore } from "./statistics/statistics-store.js";
export { periodCost } from "./statistics/tariff.js";
