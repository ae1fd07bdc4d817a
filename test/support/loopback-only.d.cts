export function isLoopback(host: string): boolean;
export function startRecording(file: string): string;
export function offLoopbackAttempts(): string[];
export const GUARD_FILE: string;
