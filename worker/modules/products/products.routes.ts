import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { createProductInput, idParam, listProductsQuery, updateProductInput } from './products.schema';
import { createProduct, getProduct, listProducts, updateProduct } from './products.service';

export const productRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'The product catalog (search by name or SKU)', tags: ['products'] }), requirePermission('products:read'), validate('query', listProductsQuery), async (c) =>
    c.json(await listProducts(ctx(c), c.req.valid('query'))),
  )
  .post('/', doc({ summary: 'Add a product (admins)', tags: ['products'], status: 201 }), requirePermission('products:write'), validate('json', createProductInput), async (c) => {
    const product = await createProduct(ctx(c), c.req.valid('json'));
    return c.json(product, 201, { ETag: etag(product.version) });
  })
  .get('/:id', doc({ summary: 'One product', tags: ['products'] }), requirePermission('products:read'), validate('param', idParam), async (c) => {
    const product = await getProduct(ctx(c), c.req.valid('param').id);
    return c.json(product, 200, { ETag: etag(product.version) });
  })
  .patch('/:id', doc({ summary: 'Edit or deactivate a product (admins, If-Match required)', tags: ['products'] }), requirePermission('products:write'), validate('param', idParam), validate('json', updateProductInput), async (c) => {
    const product = await updateProduct(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(product, 200, { ETag: etag(product.version) });
  });
