/** Every differential scenario. */
import { aclEdgeScenarios, aclScenarios } from './acl.js';
import { desiredScenarios } from './desired.js';
import { errorScenarios } from './errors.js';
import { interfaceEdgeScenarios, interfaceScenarios } from './interfaces.js';
import { natEdgeScenarios, natScenarios } from './nat44.js';

export const scenarios = [...interfaceScenarios, ...interfaceEdgeScenarios, ...aclScenarios, ...aclEdgeScenarios, ...natScenarios, ...natEdgeScenarios, ...errorScenarios, ...desiredScenarios];
