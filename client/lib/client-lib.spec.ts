import { describe, expect, test } from 'vitest';
import { defineComponent } from 'vue';
import { apiUrl, csrfToken } from './api';
import { OFFLINE_AFTER_ATTEMPTS, nextStatus } from './connection-state';
import { menuEntries, register, slotEntries, unregister } from './registry';
import { mergeTask } from './task-tray';

describe('the API client', () => {
  test('query parameters: empty ones are left out', () => {
    expect(apiUrl('/api/parts', { q: 'gfp t:Reporter', page: 2, type: '', sort: undefined })).toBe('/api/parts?q=gfp+t%3AReporter&page=2');
    expect(apiUrl('/api/parts')).toBe('/api/parts');
  });

  test('the CSRF token is read from its cookie among others', () => {
    expect(csrfToken('a=1; brickyard_csrf=abc%3D; b=2')).toBe('abc=');
    expect(csrfToken('brickyard_session=x')).toBeUndefined();
    expect(csrfToken('')).toBeUndefined();
  });
});

describe('the connection status', () => {
  test('open is connected; a few failed reconnects are reconnecting, more are offline', () => {
    expect(nextStatus('connecting', { type: 'open' })).toBe('connected');
    expect(nextStatus('connected', { type: 'reconnecting', attempt: 1 })).toBe('reconnecting');
    expect(nextStatus('reconnecting', { type: 'reconnecting', attempt: OFFLINE_AFTER_ATTEMPTS })).toBe('offline');
    expect(nextStatus('offline', { type: 'open' })).toBe('connected');
  });

  test('the browser going offline says so at once; back online, the client is reconnecting', () => {
    expect(nextStatus('connected', { type: 'browser-offline' })).toBe('offline');
    expect(nextStatus('offline', { type: 'browser-online' })).toBe('reconnecting');
    expect(nextStatus('connected', { type: 'browser-online' })).toBe('connected');
  });
});

describe('the task tray', () => {
  test('a frame updates what it carries and keeps the rest', () => {
    const queued = mergeTask(undefined, { id: 't1', kind: 'hello.count', state: 'queued', progress: 0 }, 1);
    const running = mergeTask(queued, { id: 't1', state: 'running', progress: 40, progressMessage: 'counted 4 of 10' }, 2);
    expect(running).toEqual({ id: 't1', kind: 'hello.count', state: 'running', progress: 40, progressMessage: 'counted 4 of 10', error: undefined, seenAt: 2 });
    const failed = mergeTask(running, { id: 't1', state: 'failed', error: 'stopped' }, 3);
    expect(failed).toMatchObject({ kind: 'hello.count', state: 'failed', progress: 40, error: 'stopped' });
  });
});

describe('the registry of menu entries and slots', () => {
  const Panel = defineComponent({ render: () => null });

  test('an owner registers, replaces its contributions whole, and unregisters', () => {
    register('core', { menu: [{ title: 'Parts', to: '/parts', order: 10 }] });
    register('lab-notes', { menu: [{ title: 'Notes', to: '/plugins/lab-notes/', order: 50 }], slots: { 'part.panels': [{ key: 'notes', component: Panel }] } });
    expect(menuEntries().map((e) => e.title)).toEqual(['Parts', 'Notes']);
    expect(slotEntries('part.panels').map((e) => `${e.owner}:${e.key}`)).toEqual(['lab-notes:notes']);

    register('lab-notes', { menu: [{ title: 'Lab notes', to: '/plugins/lab-notes/', order: 5 }], slots: { 'part.panels': [{ key: 'notes', version: '2', component: Panel }] } });
    expect(menuEntries().map((e) => e.title)).toEqual(['Lab notes', 'Parts']);
    expect(slotEntries('part.panels')).toHaveLength(1);
    expect(slotEntries('part.panels')[0]!.version).toBe('2');

    unregister('lab-notes');
    expect(menuEntries().map((e) => e.title)).toEqual(['Parts']);
    expect(slotEntries('part.panels')).toEqual([]);
    expect(slotEntries('home.cards')).toEqual([]);
  });
});
