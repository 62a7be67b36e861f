import { pipelineEn } from './pipeline.en';
import { pipelineZhCN } from './pipeline.zh-CN';
import { addMessages } from './index';

// Imported by the pipeline, pipeline settings and sales report pages: their strings load with them.
addMessages({ en: pipelineEn, 'zh-CN': pipelineZhCN });
