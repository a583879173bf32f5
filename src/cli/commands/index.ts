/**
 * Every `vppkit` command, in the order `--help` lists them.
 *
 * @module
 */
import type { Command } from '../command.js';
import { agentCommand } from './agent.js';
import { callCommand } from './call.js';
import { cliCommand } from './cli.js';
import { decodeCommand, encodeCommand } from './codec.js';
import { compatCommand } from './compat.js';
import { demoCommand } from './demo.js';
import { applyCommand, planCommand } from './desired.js';
import { dumpCommand } from './dump.js';
import { genCommand } from './gen.js';
import { launchCommand } from './launch.js';
import { diffCommand, messagesCommand } from './messages.js';
import { simCommand } from './sim.js';
import { statsCommand } from './stats.js';
import { traceCommand } from './trace.js';
import { versionCommand } from './version.js';
import { watchCommand } from './watch.js';

export const commands: readonly Command[] = [genCommand, encodeCommand, decodeCommand, messagesCommand, diffCommand, callCommand, dumpCommand, watchCommand, statsCommand, cliCommand, compatCommand, planCommand, applyCommand, traceCommand, versionCommand, demoCommand, simCommand, launchCommand, agentCommand];
