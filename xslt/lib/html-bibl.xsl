<?xml version="1.0" encoding="UTF-8"?>
<!--
  Bibliographic records of the header (sourceDesc) to HTML (modes st:bibl, st:bibl-inline).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <!-- ===== bibliographic records (sourceDesc) ===== -->

  <xsl:template match="tei:sourceDesc" mode="st:bibl">
    <xsl:apply-templates select="*" mode="#current"/>
  </xsl:template>

  <xsl:template match="tei:sourceDesc/tei:p | tei:sourceDesc/tei:bibl | tei:sourceDesc/tei:listBibl"
      mode="st:bibl">
    <p class="bibl"><xsl:apply-templates mode="#current"/></p>
  </xsl:template>

  <xsl:template match="tei:biblStruct" mode="st:bibl">
    <p class="bibl">
      <xsl:apply-templates select="tei:analytic, tei:monogr, tei:series" mode="#current"/>
    </p>
    <xsl:apply-templates select="tei:relatedItem" mode="#current"/>
  </xsl:template>

  <xsl:template match="tei:analytic" mode="st:bibl">
    <xsl:call-template name="st:persons-line">
      <xsl:with-param name="persons" select="tei:author"/>
    </xsl:call-template>
    <xsl:for-each select="tei:title">
      <xsl:text>“</xsl:text>
      <xsl:apply-templates mode="#current"/>
      <xsl:text>”, </xsl:text>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:monogr" mode="st:bibl">
    <xsl:call-template name="st:persons-line">
      <xsl:with-param name="persons" select="tei:author[not(../../tei:analytic)]"/>
    </xsl:call-template>
    <xsl:for-each select="tei:title">
      <cite><xsl:apply-templates mode="#current"/></cite>
      <xsl:text> </xsl:text>
    </xsl:for-each>
    <xsl:for-each select="tei:editor">
      <xsl:text>ed. </xsl:text>
      <xsl:value-of select="st:plain(.)"/>
      <xsl:text> </xsl:text>
    </xsl:for-each>
    <xsl:apply-templates select="tei:biblScope, tei:imprint" mode="#current"/>
  </xsl:template>

  <xsl:template match="tei:series" mode="st:bibl">
    <xsl:text> (</xsl:text>
    <xsl:value-of select="st:plain(tei:title[1])"/>
    <xsl:text>)</xsl:text>
  </xsl:template>

  <xsl:template match="tei:imprint" mode="st:bibl">
    <xsl:apply-templates select="tei:biblScope[@unit = ('volume', 'issue')]" mode="#current"/>
    <xsl:variable name="place" select="string-join((tei:pubPlace, tei:publisher) ! st:plain(.), ': ')"/>
    <xsl:if test="$place or tei:date">
      <xsl:text>(</xsl:text>
      <xsl:value-of select="string-join(($place[. != ''], tei:date[1] ! st:plain(.)), ', ')"/>
      <xsl:text>)</xsl:text>
    </xsl:if>
    <xsl:apply-templates select="tei:biblScope[not(@unit = ('volume', 'issue'))]" mode="#current"/>
  </xsl:template>

  <xsl:template match="tei:biblScope" mode="st:bibl">
    <xsl:variable name="label" select="map{'volume': 'vol. ', 'issue': 'no. ', 'page': 'pp. ',
        'chapter': 'ch. '}(string(@unit))"/>
    <xsl:value-of select="' ' || $label || st:plain(.) || ' '"/>
  </xsl:template>

  <xsl:template match="tei:relatedItem" mode="st:bibl">
    <p class="bibl related">
      <xsl:text>Also: </xsl:text>
      <xsl:apply-templates select="*" mode="st:bibl-inline"/>
    </p>
  </xsl:template>

  <!-- A manuscript's or an object's description (EpiDoc's support, dimensions, layout,
       origin...): one term per part the description has, in its order, not run-on text. -->
  <xsl:variable name="st:msdesc-labels" as="map(xs:string, xs:string)" select="map{
      'msIdentifier': 'Identifier', 'msName': 'Name', 'objectType': 'Object',
      'support': 'Support', 'dimensions': 'Dimensions', 'extent': 'Extent',
      'foliation': 'Foliation', 'collation': 'Collation', 'condition': 'Condition',
      'layoutDesc': 'Layout', 'handDesc': 'Hands', 'scriptDesc': 'Script',
      'decoDesc': 'Decoration', 'additions': 'Additions', 'bindingDesc': 'Binding',
      'sealDesc': 'Seals', 'msContents': 'Contents', 'origin': 'Origin',
      'provenance': 'Provenance', 'acquisition': 'Acquisition', 'summary': 'Summary'}"/>

  <xsl:template match="tei:msDesc" mode="st:bibl">
    <xsl:variable name="parts" select=".//*[map:contains($st:msdesc-labels, local-name())]"
        xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
    <dl class="msdesc">
      <xsl:for-each select="$parts">
        <dt><xsl:value-of select="$st:msdesc-labels(local-name())"/></dt>
        <dd><xsl:apply-templates mode="st:msdesc-part"/></dd>
      </xsl:for-each>
    </dl>
  </xsl:template>

  <!-- A part's own words; a part nested in it (dimensions in support) has its own term. -->
  <xsl:mode name="st:msdesc-part" on-no-match="text-only-copy"/>
  <xsl:template match="*[map:contains($st:msdesc-labels, local-name())]" mode="st:msdesc-part"
      xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  <xsl:template match="tei:height | tei:width | tei:depth | tei:dim" mode="st:msdesc-part">
    <xsl:value-of select="' ' || local-name() || ' ' || normalize-space()
        || (ancestor::tei:dimensions[1]/@unit ! (' ' || .)) || ' '"/>
  </xsl:template>

  <!-- A record's licence, inside the record's paragraph: a phrase, not a block. -->
  <xsl:template match="(tei:bibl | tei:biblStruct | tei:listBibl)//tei:availability" mode="st:bibl"
      priority="2">
    <span class="licence"><xsl:apply-templates select="*" mode="st:bibl-inline"/></span>
  </xsl:template>

  <xsl:mode name="st:bibl-inline" on-no-match="text-only-copy"/>
  <xsl:template match="tei:title" mode="st:bibl st:bibl-inline">
    <cite><xsl:apply-templates mode="#current"/></cite>
  </xsl:template>
  <xsl:template match="tei:note" mode="st:bibl st:bibl-inline"/>
  <xsl:template match="(tei:ref | tei:ptr)[exists(st:href(@target))]"
      mode="st:bibl st:bibl-inline">
    <a href="{st:href(@target)}">
      <xsl:value-of select="if (normalize-space()) then normalize-space() else st:href(@target)"/>
    </a>
  </xsl:template>
  <xsl:template match="tei:idno[@type = ('URL', 'URI', 'url', 'uri')][exists(st:href(string()))]"
      mode="st:bibl st:bibl-inline">
    <a href="{st:href(string())}"><xsl:value-of select="normalize-space()"/></a>
  </xsl:template>
  <xsl:template match="tei:licence[exists(st:href(@target))]" mode="st:bibl st:bibl-inline">
    <a href="{st:href(@target)}" rel="license">
      <xsl:value-of select="if (normalize-space()) then normalize-space()
          else normalize-space(@target)"/>
    </a>
  </xsl:template>
  <xsl:template match="tei:bibl/text() | tei:relatedItem//text()" mode="st:bibl st:bibl-inline">
    <xsl:value-of select="replace(., '\s+', ' ')"/>
  </xsl:template>

  <xsl:template name="st:persons-line">
    <xsl:param name="persons" as="element()*"/>
    <xsl:if test="$persons">
      <xsl:value-of select="string-join($persons ! st:plain(.), ', ') || ', '"/>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
