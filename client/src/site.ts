/** The site's name: the server writes SITE_TITLE into the page's application-name meta tag. */
export const siteTitle: string =
  globalThis.document?.querySelector<HTMLMetaElement>('meta[name="application-name"]')?.content || 'Brickyard';

/** Sets the tab's title: `Page · Site`, or the site alone. */
export function setPageTitle(title?: string): void {
  document.title = title ? `${title} · ${siteTitle}` : siteTitle;
}
