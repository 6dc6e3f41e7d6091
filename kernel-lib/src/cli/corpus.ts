import { Command } from './command';

export const commands: Command[] = [];
