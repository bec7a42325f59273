import { CurrentIdentity, type Identity } from '@brickyard/sdk';
import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AttachmentsService } from './attachments.service';
import { idParam, signedIn } from './caller';

type Request = { raw: IncomingMessage };
type Reply = { status(code: number): Reply; header(name: string, value: string): Reply; send(body?: unknown): void };

/** Attachments: `POST /api/forum/attachments` (multipart, field `file`), `GET /api/forum/attachments/:id`. */
@Controller('api/forum/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  /** Answers `{id, url, …}`: attach it with `attachment_ids`, show an image with `![text](url)`. */
  @Post()
  upload(@CurrentIdentity() who: Identity, @Req() request: Request) {
    return this.attachments.upload(signedIn(who), request); // signed in before a byte of the upload is read
  }

  /**
   * The bytes with the type read from them at upload, never guessed by the
   * browser (nosniff). Images show inline; anything else (PDF, text) downloads.
   * Either way the response is sandboxed (CSP): opened on its own, it runs nothing.
   */
  @Get(':id')
  async serve(@Param('id') id: string, @CurrentIdentity() who: Identity, @Res() reply: Reply) {
    const file = await this.attachments.find(idParam(id, 'attachment'), who);
    const image = file.type.startsWith('image/');
    const name = file.filename.replace(/[^\w.\- ]/g, '_');
    reply
      .header('content-type', file.type === 'text/plain' ? 'text/plain; charset=utf-8' : file.type)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
      .header('content-disposition', `${image ? 'inline' : 'attachment'}; filename="${name}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header('cache-control', 'private, max-age=3600')
      .status(200)
      .send(file.bytes);
  }
}
