/**
 * Every `vppkit` command, in the order `--help` lists them.
 *
 * @module
 */
import type { Command } from '../command.js';
import { decodeCommand, encodeCommand } from './codec.js';
import { genCommand } from './gen.js';
import { diffCommand, messagesCommand } from './messages.js';
import { versionCommand } from './version.js';

export const commands: readonly Command[] = [genCommand, encodeCommand, decodeCommand, messagesCommand, diffCommand, versionCommand];
