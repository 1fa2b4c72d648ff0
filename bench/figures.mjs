// Figures for commands that land after the first version: `check`, `add`, `update` and the
// context scan. Each returns either a runnable figure or one marked unavailable with a reason.
export function extraFigures() {
  return [];
}
