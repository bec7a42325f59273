/**
 * Whether this browser can give a page a WebGL context: NGL draws with WebGL
 * only, and without it the viewer says so instead of failing inside NGL.
 * Headless Chromium with --disable-gpu still has it (software, SwiftShader);
 * a browser with 3-D turned off, or an old or locked-down one, has not.
 */
export function webglAvailable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    // Release the probe at once: browsers cap the live contexts of a page (16 in Chromium).
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return gl !== null;
  } catch {
    return false;
  }
}
