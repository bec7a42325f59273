import { createRouter, createWebHistory, START_LOCATION, type RouteRecordRaw } from 'vue-router';
import { prefetchPartPage } from './logic/parts-api';
import HomePage from './pages/HomePage.vue';

/** The part page's code: the router imports it after the route's guards have run; its guard starts it sooner. */
const partPage = () => import('./pages/PartPage.vue');

/**
 * The core's routes. Pages other than home load on first visit, so the first
 * load of `/` carries only the shell and the home page (docs/benchmarks.md).
 * Plugins' routes are added under /plugins/<name>/ with addRoute, live.
 */
export const coreRoutes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: HomePage, meta: { title: '' } },
  { path: '/parts', name: 'search', component: () => import('./pages/SearchPage.vue'), meta: { title: 'Search parts' } },
  // Entering a part page starts its data, its code and its map's code together; the first page of a load waits for them (logic/parts-api.ts).
  {
    path: '/parts/:name',
    name: 'part',
    component: partPage,
    meta: { title: 'Part' },
    beforeEnter: (to, from) => prefetchPartPage(String(to.params.name), from === START_LOCATION, partPage),
  },
  { path: '/structures', name: 'structures', component: () => import('./pages/StructuresPage.vue'), meta: { title: 'Protein structures' } },
  // People: accounts, profiles and notices.
  { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignInPage.vue'), meta: { title: 'Sign in' } },
  { path: '/sign-up', name: 'sign-up', component: () => import('./pages/SignUpPage.vue'), meta: { title: 'Create an account' } },
  { path: '/reset', name: 'reset', component: () => import('./pages/ResetPage.vue'), meta: { title: 'Reset your password' } },
  { path: '/settings', name: 'settings', component: () => import('./pages/SettingsPage.vue'), meta: { title: 'Settings' } },
  { path: '/notices', name: 'notices', component: () => import('./pages/NoticesPage.vue'), meta: { title: 'Notices' } },
  { path: '/users/:username', name: 'user', component: () => import('./pages/ProfilePage.vue'), meta: { title: 'Profile' } },
  { path: '/experiences/:id', name: 'experience', component: () => import('./pages/ExperienceRedirect.vue'), meta: { title: 'Experience' } },
  // The operator console: admins only (others get its 403 page); its code loads on first visit.
  { path: '/admin', name: 'admin', component: () => import('./pages/admin/AdminPage.vue'), meta: { title: 'Operator console' } },
  // Plugins' own pages are added under /plugins/<name>/ as their clients load (@brickyard/client, plugin-clients.ts);
  // a path there that none of them matches is a plugin still loading, or gone.
  { path: '/plugin-submissions', name: 'plugin-submissions', component: () => import('./pages/SubmitPluginPage.vue'), meta: { title: 'Submit a plugin' } },
  { path: '/plugins', name: 'plugins', component: () => import('./pages/PluginsPage.vue'), meta: { title: 'Plugins' } },
  { path: '/plugins/:plugin/:rest(.*)*', name: 'plugin-missing', component: () => import('./pages/PluginMissingPage.vue'), meta: { title: 'Plugin' } },
  { path: '/:missing(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { title: 'Page not found' } },
];

export function createAppRouter() {
  const router = createRouter({
    history: createWebHistory(),
    routes: coreRoutes,
    // The first page of a load is at the top already (or where the browser restores it): scrolling there would force a layout mid-render.
    scrollBehavior: (to, from, saved) => saved ?? (to.path === from.path || from.matched.length === 0 ? undefined : { top: 0 }),
  });
  // A lazily loaded page that fails to load (server down, new deploy) becomes an error state, not a blank page.
  router.onError((error, to) => {
    console.warn('[brickyard] could not open', to.fullPath, error);
  });
  return router;
}
