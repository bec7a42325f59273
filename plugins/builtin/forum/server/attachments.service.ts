import { BrickyardError, InjectPluginContext, readUpload, type Identity, type PluginContext, type RequestLike, type UploadType } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import type { Author } from './caller';
import type { ForumSettings } from './settings';

/** Judged by content (readUpload sniffs the bytes). No SVG or HTML: documents that can carry scripts. */
export const ATTACHMENT_TYPES: readonly UploadType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'];
/** At most this many attachments on one experience. */
export const MAX_ATTACHMENTS = 20;

export interface AttachmentView {
  id: string;
  filename: string;
  type: string;
  size: number;
  url: string;
  created_at: Date;
}

export const attachmentUrl = (id: string | number) => `/api/forum/attachments/${id}`;

const view = (row: Record<string, any>): AttachmentView => ({
  id: String(row.id), filename: row.filename, type: row.type, size: Number(row.size), url: attachmentUrl(row.id), created_at: row.created_at,
});

/**
 * Files attached to experiences, kept in MySQL (so every host serves them). An
 * upload is its uploader's until attached to one of their experiences; one
 * left unattached for a day is deleted.
 */
@Injectable()
export class AttachmentsService {
  constructor(@InjectPluginContext() private readonly plugin: PluginContext<ForumSettings>) {}

  private get db() {
    return this.plugin.database();
  }

  async upload(author: Author, request: RequestLike): Promise<AttachmentView> {
    const file = await readUpload(request, { maxBytes: this.plugin.settings.get('FORUM_ATTACHMENT_MAX_BYTES'), types: ATTACHMENT_TYPES });
    const result = await this.db.query('INSERT INTO forum_attachments (uploader_id, filename, type, size, bytes) VALUES (?, ?, ?, ?, ?)', [
      author.id, file.filename, file.type, file.bytes.length, file.bytes,
    ]);
    await this.deleteAbandoned();
    const [row] = await this.db.query('SELECT id, filename, type, size, created_at FROM forum_attachments WHERE id = ?', [result.insertId]);
    return view(row);
  }

  /**
   * One attachment with its bytes. An unattached one (a draft) is shown only to
   * its uploader and admins; to anyone else it does not exist.
   */
  async find(id: string, who: Identity): Promise<{ filename: string; type: string; bytes: Buffer }> {
    const [row] = await this.db.query('SELECT filename, type, bytes, uploader_id, experience_id FROM forum_attachments WHERE id = ?', [id]);
    if (!row || (row.experience_id === null && who.role !== 'admin' && String(row.uploader_id) !== who.userId)) throw new BrickyardError('not_found', `no attachment ${id}`);
    return { filename: row.filename, type: row.type, bytes: row.bytes };
  }

  async listFor(experienceId: string): Promise<AttachmentView[]> {
    const rows = await this.db.query('SELECT id, filename, type, size, created_at FROM forum_attachments WHERE experience_id = ? ORDER BY id', [experienceId]);
    return rows.map(view);
  }

  /**
   * Attaches `ids` to the experience, inside its transaction: each must be the
   * caller's own unattached upload or already this experience's. With
   * `replace`, the experience's other attachments are deleted (no longer
   * referenced, as Biohub's update_files).
   */
  async attach(tx: QueryRunner, experienceId: string, ids: number[], callerId: string | null, replace: boolean): Promise<void> {
    const wanted = [...new Set(ids.map(String))];
    if (wanted.length > MAX_ATTACHMENTS) throw new BrickyardError('invalid_params', `at most ${MAX_ATTACHMENTS} attachments on one experience`);
    if (wanted.length) {
      const marks = wanted.map(() => '?').join(', ');
      const mine: { id: string }[] = await tx.query(
        `SELECT id FROM forum_attachments WHERE id IN (${marks}) AND (experience_id = ? OR (experience_id IS NULL AND uploader_id = ?)) FOR UPDATE`,
        [...wanted, experienceId, callerId ?? '0'],
      );
      const found = new Set(mine.map((r) => String(r.id)));
      const refused = wanted.filter((id) => !found.has(id));
      if (refused.length) throw new BrickyardError('invalid_params', `attachment_ids: ${refused.join(', ')} are not your own unattached uploads (POST /api/forum/attachments)`);
      await tx.query(`UPDATE forum_attachments SET experience_id = ? WHERE id IN (${marks})`, [experienceId, ...wanted]);
    }
    if (replace) {
      await tx.query(`DELETE FROM forum_attachments WHERE experience_id = ?${wanted.length ? ` AND id NOT IN (${wanted.map(() => '?').join(', ')})` : ''}`, [experienceId, ...wanted]);
    }
  }

  /** Uploads never attached within a day are deleted, a few at a time, when someone uploads. */
  private async deleteAbandoned(): Promise<void> {
    await this.db.query('DELETE FROM forum_attachments WHERE experience_id IS NULL AND created_at < CURRENT_TIMESTAMP(3) - INTERVAL 1 DAY LIMIT 100');
  }
}
