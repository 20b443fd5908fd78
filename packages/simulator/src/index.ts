/**
 * @smarty/simulator — a pure, seeded model of a Smarty meter: realistic, reproducible telegrams and frames for the
 * CLI, the demo and tests. No timers and no I/O: callers pace it.
 */
export * from "./day-plan.js";
export * from "./energy-register.js";
export * from "./load-model.js";
export * from "./meter-simulator.js";
export * from "./meter-state.js";
export * from "./prng.js";
export * from "./solar.js";
export * from "./truth.js";
