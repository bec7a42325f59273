import { definePlugin } from '@brickyard/sdk';
import { Module } from '@nestjs/common';
import { BiocircuitController } from './biocircuit.controller';
import { BiocircuitService } from './biocircuit.service';

@Module({ controllers: [BiocircuitController], providers: [BiocircuitService] })
class BiocircuitModule {}

/** BioCircuit: truth table → genetic NOR circuit over Cello's measured gates. No tables, no settings: it computes. */
export default definePlugin({ module: BiocircuitModule });
