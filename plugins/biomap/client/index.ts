import { defineClientPlugin } from '@brickyard/client';

export default defineClientPlugin({ routes: [] });
