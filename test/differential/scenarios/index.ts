/** Every differential scenario. */
import { aclScenarios } from './acl.js';
import { errorScenarios } from './errors.js';
import { interfaceScenarios } from './interfaces.js';
import { natScenarios } from './nat44.js';

export const scenarios = [...interfaceScenarios, ...aclScenarios, ...natScenarios, ...errorScenarios];
