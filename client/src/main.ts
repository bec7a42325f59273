import { loadCurrentUser, startNotices, startPluginClients, startTaskTray, useRealtime } from '@brickyard/client';
import { createApp } from 'vue';
import App from './App.vue';
import { registerCore } from './core-contributions';
import { createAppRouter } from './router';
import './styles/app.scss';

// The shell's data starts loading before the first render, so the navbar fills in as soon as it can.
useRealtime();
startTaskTray();
startNotices();
void loadCurrentUser();
registerCore();

const app = createApp(App);
const router = createAppRouter();
// Plugins' clients load beside the first render (a plugin page opened directly shows "loading" until they do), then follow the server live.
void startPluginClients(router);
app.use(router);
// A component that throws must not blank the page: the route's error boundary shows it (ErrorBoundary.vue); this logs the rest.
app.config.errorHandler = (error, _instance, info) => console.warn('[brickyard]', info, error);
// Mounted once the first route is known, so the first render is the page asked for (and not '/' for a moment).
void router.isReady().finally(() => app.mount('#app'));
