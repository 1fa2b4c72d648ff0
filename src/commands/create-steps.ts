/**
 * What `create` needs after the questions (steps 2-6 of create.ts), in one module that create.ts
 * imports only once the answers are in: a person waits for the first question, and none of this
 * (node:crypto, the planner, git and the post-steps) is needed to ask it.
 */
export { nearestFolder, realDisk } from '../disk.js';
export { factsOfManifest, factsToRender, readFacts, signersAt } from '../facts.js';
export { checkManifest, droppedBaseCopies, isToolState, keepDecisions, MANIFEST_PATH, refuseNewerManifest, withManifest } from '../manifest.js';
export { notWrittenAgain } from '../moved.js';
export { leftBehind, planWrites, willWrite } from '../plan.js';
export { folderInRepository, locateRepository, repositoryProblem, runPostSteps } from '../post-steps.js';
export { buildContext } from '../render/context.js';
export { counts, deletedNotes, formatDiffs, formatPlan } from '../report.js';
